# Signing in.
title-error-prefix = Fejl:
login-title = Log ind
login-provider-heading = Medarbejder i en kommune eller på en institution
login-password-heading = Log ind med e-mail og adgangskode
login-email = E-mail
login-password = Adgangskode
login-submit = Log ind
login-forgot = Glemt adgangskode?
login-missing-fields = Skriv både e-mail og adgangskode.
login-refused = Forkert e-mail eller adgangskode.
login-throttled = For mange mislykkede forsøg. Prøv igen om { $count ->
        [one] { $count } minut
       *[other] { $count } minutter
    }.
