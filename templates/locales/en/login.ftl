# Signing in.
title-error-prefix = Error:
error-summary-heading = There is a problem
login-title = Sign in
login-provider-heading = Staff of a municipality or an institution
login-password-heading = Sign in with e-mail and password
login-email = E-mail
login-password = Password
login-submit = Sign in
login-forgot = Forgot your password?
login-missing-fields = Enter both e-mail and password.
login-refused = Wrong e-mail or password.
login-throttled = Too many failed attempts. Try again in { $count ->
        [one] { $count } minute
       *[other] { $count } minutes
    }.
back-to-login = Back to sign-in
to-login-page = To the sign-in page
forgot-title = Forgotten password
forgot-intro = Enter the e-mail address you sign in with. We will send a link with which you can choose a new password.
forgot-provider = If you sign in through MitID Erhverv or Unilogin, you have no password here. Use the button on the sign-in page.
forgot-send = Send link
forgot-no-email = Enter the e-mail address you sign in with.
choose-welcome = Welcome to Tilslutning
choose-title = Choose a new password
choose-dead-link = The link has been used, has expired or is wrong.
choose-dead-invitation = Ask whoever invited you to send a new invitation.
choose-dead-reset = You can ask for a new link.
choose-new-link = Ask for a new link
choose-for-invited = Choose the password you will sign in with as { $email }.
choose-for-reset = Choose a new password as { $email }.
choose-repeat = Repeat the password
choose-save = Save password
code-title = Code from your app
code-label = One-time code
code-hint = Enter the six-digit code your authenticator app shows for Tilslutning. If you have lost your phone, you can enter one of your recovery codes.
code-start-over = Start over
code-refused = The code is wrong or already used. Enter the six-digit code your app shows now, or one of your recovery codes.
login-provider-button = Sign in with MitID Erhverv / Unilogin
