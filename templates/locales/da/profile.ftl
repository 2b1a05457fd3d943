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
