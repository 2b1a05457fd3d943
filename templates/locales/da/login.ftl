# Signing in.
title-error-prefix = Fejl:
error-summary-heading = Der er et problem
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
back-to-login = Tilbage til login
to-login-page = Til login-siden
forgot-title = Glemt adgangskode
forgot-intro = Skriv den e-mailadresse, du logger ind med. Vi sender et link, som du kan vælge en ny adgangskode med.
forgot-provider = Logger du ind gennem MitID Erhverv eller Unilogin, har du ingen adgangskode her. Brug knappen på login-siden.
forgot-send = Send link
forgot-no-email = Skriv den e-mailadresse, du logger ind med.
choose-welcome = Velkommen til Tilslutning
choose-title = Vælg en ny adgangskode
choose-dead-link = Linket er brugt, udløbet eller forkert.
choose-dead-invitation = Bed den, der inviterede dig, om at sende en ny invitation.
choose-dead-reset = Du kan bede om et nyt link.
choose-new-link = Bed om et nyt link
choose-for-invited = Vælg den adgangskode, du vil logge ind med som { $email }.
choose-for-reset = Vælg en ny adgangskode som { $email }.
choose-repeat = Gentag adgangskoden
choose-save = Gem adgangskode
code-title = Kode fra din app
code-label = Engangskode
code-hint = Skriv den seks-cifrede kode, din godkendelsesapp viser for Tilslutning. Har du mistet telefonen, kan du skrive en af dine gendannelseskoder.
code-start-over = Start forfra
code-refused = Koden er forkert eller allerede brugt. Skriv den seks-cifrede kode, din app viser nu, eller en af dine gendannelseskoder.
login-provider-button = Log ind med MitID Erhverv / Unilogin
