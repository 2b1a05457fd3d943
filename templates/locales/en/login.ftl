# Signing in.
title-error-prefix = Error:
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
