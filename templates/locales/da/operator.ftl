# The operators' pages: people and their roles, requests without an approver, the mail queue and agreements on A-numbers.

## People
users-new = Opret person
users-search-label = Søg efter e-mail eller navn
users-search = Søg
users-none = Ingen personer passer på søgningen.
users-count = { $count ->
        [one] { $count } person
       *[other] { $count } personer
    }
column-email = E-mail
column-name = Navn
column-roles = Roller
users-no-roles = ingen
user-status-active = Aktiv
user-status-closed = Lukket

## One person
user-all-people = Alle personer
user-password = Adgangskode
user-password-set = Valgt
user-password-none = Ingen
user-totp = Totrinsbekræftelse
user-totp-on = Slået til
user-totp-off = Ikke slået til
user-subjects = Bruger-id hos login-tjenesten
user-subjects-none = Intet endnu
user-roles-heading = Roller
user-no-roles = Personen har ingen roller og kan ikke bruge portalen.
user-remove-role = Fjern
user-give-role-heading = Giv en rolle
user-give-role = Giv rollen
user-roles-hint = Når roller ændres, bliver personen logget ud og får de nye rettigheder ved næste login.
user-provider-heading = Login gennem login-tjenesten
user-subject-label = Bruger-id (subject) hos login-tjenesten
user-subject-register = Registrér bruger-id
user-account-heading = Konto
user-invite = Send invitation
user-disable = Luk kontoen
user-enable = Genåbn kontoen
user-not-changed = Ændringen er ikke gemt. Det, du har skrevet, er bevaret.
# What a role covers.
covers-supplier = { $name } (CVR { $cvr })
covers-institution = { $number } { $name }
covers-unknown = { $id } (findes ikke længere)

## The role fields and the new-person form
role-field = Rolle
role-field-choose = Vælg rolle
role-scope = Gælder for
role-scope-hint = Leverandørens CVR-nummer, en kommunekode (fx 101) eller et institutionsnummer. Tom for driftsoperatør og for revisor i hele portalen.
user-new-not-created = Personen er ikke oprettet. Ret det, der er markeret nedenfor; alt det, du har skrevet, er bevaret.
user-new-invite = Send en invitation med et link til at vælge adgangskode
user-new-provider-hint = Medarbejdere, der logger ind gennem MitID Erhverv eller Unilogin, behøver ingen invitation: de findes ved første login på deres bekræftede e-mail eller på det bruger-id, du registrerer på personen.
user-new-create = Opret

## What is wrong with a person or a role
scope-problem-no-role = Vælg en rolle.
scope-problem-unknown-supplier = Skriv leverandørens CVR-nummer (leverandøren skal være oprettet).
scope-problem-unknown-municipality = Der findes ingen kommune med den kode. Skriv en af de 98 kommunekoder med tre cifre, fx 101 for København.
scope-problem-closed = { $number } er lukket.
scope-problem-not-in-register = { $number } findes ikke i institutionsregisteret.
person-problem-bad-email = Skriv en gyldig e-mailadresse.
person-problem-no-name = Skriv personens navn.
person-problem-email-taken = { $email } er allerede oprettet.
user-yourself = Du kan ikke ændre dine egne roller, bruger-id eller konto. Bed en anden operatør om det.
user-choose-status = Vælg luk eller genåbn.
user-last-operator = Det er den sidste aktive driftsoperatør. Giv en anden rollen først.
user-subject-missing = Skriv bruger-id'et fra login-tjenesten.
user-subject-taken = Det bruger-id hører allerede til en anden person, eller personen har allerede et.

## Requests without an approver
unattended-heading = Anmodninger uden godkender
unattended-intro = Ventende anmodninger, som ingen kan afgøre, fordi institutionen ikke har en registreret godkender: hverken eget personale eller – for en kommunal institution – kommunens dagtilbudsansvarlige. Giv en medarbejder ved institutionen rollen { $role }, så kan anmodningerne afgøres.
unattended-none = Der er ingen ventende anmodninger uden godkender.
unattended-waiting = { $count ->
        [one] { $total } anmodning venter uden godkender
       *[other] { $total } anmodninger venter uden godkender
    }
unattended-first-shown = – de første { $count } vises
unattended-filed = indsendt { $when }
unattended-email = E-mail på den, der skal godkende for { $number }
unattended-assign = Giv rollen { $role }
unattended-email-missing = Skriv e-mailadressen på den person, der skal godkende for { $number }.
unattended-no-such-person = Der findes ingen aktiv person med e-mailen «{ $email }». Opret personen med rollen { $role } for { $number }.
unattended-create-person = Opret personen
unattended-yourself = Du kan ikke ændre dine egne roller. Bed en anden operatør om det.

## The mail queue
mail-by-status = Beskeder efter status
mail-none-sent = Der er ikke sendt nogen mails endnu.
mail-undeliverable-heading = Kan ikke leveres
mail-none-waiting = Ingen mails venter på en operatør.
mail-undeliverable-count = { $count ->
        [one] { $count } mail, der ikke kunne leveres
       *[other] { $count } mails, der ikke kunne leveres
    }
column-created = Oprettet
column-recipient = Modtager
column-subject = Emne
column-attempts = Forsøg
column-last-error = Sidste fejl
column-action = Handling
mail-retry = Prøv igen
mail-retry-for = for { $recipient }
mail-status-pending = I kø
mail-status-held = Venter på daglig oversigt
mail-status-sent = Sendt
mail-status-digested = Sendt i daglig oversigt
mail-status-undeliverable = Kan ikke leveres

## Agreements on A-numbers
a-numbers-heading = Aftaler på A-numre
a-numbers-intro = A-numre udfases. Her er alle aftaler, der stadig står på et A-nummer, ordnet efter kommune. Den, der godkender for institutionen, kan flytte en aftale til G-nummeret fra aftalens side.
a-numbers-none = Ingen aftaler står på A-numre.
a-numbers-total = { $count ->
        [one] { $count } aftale i alt.
       *[other] { $count } aftaler i alt.
    }
a-numbers-group = { $name } ({ $code }) – { $count ->
        [one] { $count } aftale
       *[other] { $count } aftaler
    }
column-agreement = Aftale
column-a-number = A-nummer
column-replaced-by = Erstattes af
a-numbers-successor-unknown = ukendt
