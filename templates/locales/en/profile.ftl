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
