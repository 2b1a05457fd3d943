# Signing in through the identity provider (MitID Erhverv, Unilogin).
oidc-try-again = Prøv igen
oidc-unavailable-title = Login-tjenesten svarer ikke
oidc-unavailable = Vi kunne ikke få forbindelse til login-tjenesten. Prøv igen om lidt. Har du en adgangskode til portalen, kan du også logge ind med den.
oidc-refused-title = Login blev ikke gennemført
oidc-refused = Login-tjenesten meldte, at login blev afbrudt eller afvist. Du er ikke logget ind.
oidc-bad-state-title = Login er udløbet eller ugyldigt
oidc-bad-state = Svaret fra login-tjenesten hørte ikke til et login, der er begyndt i denne browser, eller det er allerede brugt eller udløbet. Start forfra.
oidc-unconfirmed-title = Login kunne ikke bekræftes
oidc-unconfirmed = Svaret fra login-tjenesten kunne ikke bekræftes, så du er ikke logget ind. Start forfra. Sker det igen, så kontakt portalens drift.
no-access-title = Du har ikke adgang endnu
no-access = Login-tjenesten har bekræftet, hvem du er, men du er ikke oprettet med en rolle i Tilslutning. Bed administratoren i din kommune eller på din institution om at give dig adgang, og oplys oplysningerne herunder.
no-access-closed-title = Din adgang er lukket
no-access-closed = Login-tjenesten har bekræftet, hvem du er, men din adgang til Tilslutning er lukket. Kontakt administratoren i din kommune eller på din institution, hvis det er en fejl.
no-access-name = Navn
no-access-subject = Bruger-id hos login-tjenesten
no-access-provider-logout = Log ud hos login-tjenesten
