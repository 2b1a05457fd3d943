# The person's own page, and the rules for a new password.
profile-signed-in-as = You are signed in as { $email }.
profile-language = Language of pages and mails
profile-mail-when = When do you want mail?
profile-mail-immediate = At once, one mail per event
profile-mail-digest = One daily summary in the morning
profile-save = Save
profile-choose-language = Choose Danish or English.
profile-choose-mail = Choose at once or a daily summary.
profile-totp-heading = Two-step verification
profile-totp-on = Two-step verification is on. You have { $count ->
        [one] { $count } unused recovery code
       *[other] { $count } unused recovery codes
    }.
profile-your-password = Your password
profile-totp-turn-off = Turn two-step verification off
profile-totp-offer = Protect your account with a code from an app on your phone when you sign in.
profile-totp-turn-on = Turn two-step verification on
profile-password-heading = Change password
profile-password-current = Current password
profile-password-new = New password
profile-password-hint = At least 12 characters. A sentence of several words is both strong and easy to remember.
profile-password-repeat = Repeat the new password
password-current-wrong = The current password is wrong.
password-mismatch = The two new passwords are not the same.
password-too-short = The password must be at least { $min } characters. A sentence of several words is easy to remember.
password-too-long = The password may be at most { $max } characters.
password-common = The password is among the most used and can be guessed. Choose another.
password-contains-email = The password may not contain your e-mail address.
totp-is-on = Two-step verification is on
totp-keep-codes = Keep these recovery codes somewhere safe. Each code can be used once if you do not have your phone. They are shown only now.
totp-back-to-profile = Back to the profile
totp-explained = With two-step verification you type a code from an authenticator app on your phone, as well as your password, when you sign in.
totp-step-scan = Scan the QR code with the app, or type the key into it.
totp-step-code = Type the six-digit code the app shows, and press Turn on.
totp-qr-caption = QR code for the authenticator app
totp-secret = Key:
totp-setup-link = Setup link
totp-code = Code from the app
totp-turn-on = Turn on
totp-wrong-code = The code does not match. Type the six-digit code the app shows now.
totp-through-provider = You sign in through the sign-in service, which handles two-step verification itself.
