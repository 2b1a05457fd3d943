# The person's own page, and the rules for a new password.
profile-signed-in-as = Du er logget ind som { $email }.
profile-language = Sprog på sider og i mails
profile-mail-when = Hvornår vil du have mail?
profile-mail-immediate = Straks, én mail pr. hændelse
profile-mail-digest = Én daglig oversigt om morgenen
profile-save = Gem
profile-choose-language = Vælg dansk eller engelsk.
profile-choose-mail = Vælg straks eller daglig oversigt.
profile-totp-heading = Totrinsbekræftelse
profile-totp-on = Totrinsbekræftelse er slået til. Du har { $count ->
        [one] { $count } ubrugt gendannelseskode
       *[other] { $count } ubrugte gendannelseskoder
    }.
profile-your-password = Din adgangskode
profile-totp-turn-off = Slå totrinsbekræftelse fra
profile-totp-offer = Beskyt din konto med en kode fra en app på din telefon, når du logger ind.
profile-totp-turn-on = Slå totrinsbekræftelse til
profile-password-heading = Skift adgangskode
profile-password-current = Nuværende adgangskode
profile-password-new = Ny adgangskode
profile-password-hint = Mindst 12 tegn. En sætning af flere ord er både stærk og let at huske.
profile-password-repeat = Gentag den nye adgangskode
password-current-wrong = Den nuværende adgangskode er forkert.
password-mismatch = De to nye adgangskoder er ikke ens.
password-too-short = Adgangskoden skal være mindst { $min } tegn. En sætning af flere ord er let at huske.
password-too-long = Adgangskoden må højst være { $max } tegn.
password-common = Adgangskoden er blandt de mest brugte og kan gættes. Vælg en anden.
password-contains-email = Adgangskoden må ikke indeholde din e-mailadresse.
totp-is-on = Totrinsbekræftelse er slået til
totp-keep-codes = Gem disse gendannelseskoder et sikkert sted. Hver kode kan bruges én gang, hvis du ikke har din telefon. De vises kun nu.
totp-back-to-profile = Tilbage til profilen
totp-explained = Med totrinsbekræftelse skal du ud over adgangskoden skrive en kode fra en godkendelsesapp på din telefon, når du logger ind.
totp-step-scan = Scan QR-koden med appen, eller skriv nøglen ind i den.
totp-step-code = Skriv den sekscifrede kode, appen viser, og tryk Slå til.
totp-qr-caption = QR-kode til godkendelsesappen
totp-secret = Nøgle:
totp-setup-link = Opsætningslink
totp-code = Kode fra appen
totp-turn-on = Slå til
totp-wrong-code = Koden passer ikke. Skriv den sekscifrede kode, appen viser nu.
totp-through-provider = Du logger ind gennem login-tjenesten, som selv står for totrinsbekræftelse.
