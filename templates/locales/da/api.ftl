# The JSON API's error messages (by code), and the sentences for each refused line of a filing or a register file, which the API and the pages share.

## The message of each API error code (`api-error-<code>`).
api-error-unauthorized = Kaldet mangler en gyldig API-nøgle (Authorization: Bearer …), eller nøglen er udløbet eller tilbagekaldt.
api-error-forbidden = API-nøglen må ikke gøre dette.
api-error-not-found = Findes ikke.
api-error-invalid-json = Indholdet er ikke gyldig JSON.
api-error-invalid-field = Et felt mangler eller har en forkert type.
api-error-invalid-value = Et felt har en værdi, der ikke kan bruges.
api-error-unknown-service = Tjenesten findes ikke.
api-error-unknown-scope = Dataområdet findes ikke.
api-error-lines-refused = Nogle af institutionerne kunne ikke bruges; se hver enkelt under problems. Intet er sendt.
api-error-too-many = Kaldet indeholder for mange elementer.
api-error-conflict = Nogen kom først: den er ikke længere i en tilstand, der tillader dette.
api-error-rate-limited = API-nøglen har foretaget for mange kald det seneste minut. Vent det antal sekunder, Retry-After angiver, og prøv igen.
api-error-database-unavailable = Databasen kan ikke nås lige nu. Prøv igen om lidt.
api-error-internal = Der skete en uventet fejl.

## The portal's other JSON errors (`AppError` answered as JSON).
json-error-forbidden = Du må ikke gøre dette.
json-error-login-required = Du skal logge ind.
json-error-csrf = Formularen kunne ikke bekræftes.

## Why an institution number cannot be read.
number-error-empty = Institutionsnummeret mangler.
number-error-wrong-length = Et institutionsnummer har 6 tegn, ikke { $count }.
number-error-bad-prefix = Et institutionsnummer starter med G, A eller et ciffer, ikke «{ $char }».
number-error-not-a-digit = Efter det første tegn må der kun stå cifre; «{ $char }» er ikke et ciffer.

## Why a line of a filing was refused; $number is the number as typed.
line-problem-unit = Enheden { $unit } under { $number }
line-problem-not-in-register = { $number } findes ikke i institutionsregisteret.
line-problem-legacy-number = A-numre kan ikke bruges til nye anmodninger efter { $cutoff }. Brug G-nummeret { $successor }.
line-problem-legacy-number-no-successor = A-numre kan ikke bruges til nye anmodninger efter { $cutoff }. Registeret kender endnu ikke institutionens G-nummer; kontakt institutionen.
line-problem-closed-on = { $number } er lukket den { $on } og kan ikke modtage anmodninger.
line-problem-closed = { $number } er lukket og kan ikke modtage anmodninger.
line-problem-closed-on-successor = { $number } er lukket den { $on }. Brug i stedet { $successor }.
line-problem-closed-successor = { $number } er lukket. Brug i stedet { $successor }.
line-problem-no-active-units = Daginstitutionen { $number } har ingen aktive anvisningsenheder.
line-problem-already-pending = { $subject }: tjenesten har allerede en ventende anmodning ({ $reference }).
line-problem-just-pending = { $subject }: tjenesten har netop fået en ventende anmodning her eller ved en af de følgende institutioner. Send igen for at se hvilke.
line-problem-already-covered = { $subject }: aftale { $agreement } dækker allerede alle de valgte dataadgange.

## Why a line of a register file was refused; $column is the file's own column name.
register-problem-empty-file = Filen er tom.
register-problem-unreadable-header = Overskriftslinjen kunne ikke læses: { $detail }
register-problem-unknown-kind = Ukendt filtype: overskriften skal have EnhedsNummer, daginstitutionsNummer eller InstitutionsNummer.
register-problem-unreadable-line = Linjen kunne ikke læses: { $detail }
register-problem-missing = { $column } mangler.
register-problem-bad-number = { $column } «{ $value }»: { $why }
register-problem-wrong-number-kind = { $column } «{ $value }» har ikke det forventede format.
register-problem-name-too-long = Navnet er længere end { $count } tegn.
register-problem-unknown-municipality = admKommuneKode «{ $value }» er ikke en dansk kommunekode.
register-problem-unknown-ownership = ejerformKode «{ $value }» er ukendt (1–4).
register-problem-not-digits = { $column } «{ $value }» skal være { $count } cifre.
register-problem-not-an-email = Email «{ $value }» er ikke en e-mailadresse.
register-problem-unknown-status = Status «{ $value }» skal være aktiv eller lukket.
register-problem-not-a-date = { $column } «{ $value }» er ikke en dato.
register-problem-duplicate = { $number } står mere end én gang i filen.
register-problem-unknown-parent = Daginstitutionen { $number } findes hverken i registeret eller i filen.
register-problem-closed-number-reused = { $number } er lukket; lukkede numre genbruges aldrig.
import-api-empty-file = Feltet csv er tomt.
import-api-file-too-large = Filen er større end { $count } MB.
import-api-unknown-municipality = complete_for «{ $code }» er ikke en af registerets kommunekoder.
import-api-disabled = Registerimport over API'et er ikke slået til.
import-api-unauthorized = Der kræves en gyldig bearer-nøgle.
import-api-body-too-large = Indholdet er større end { $count } MB.
import-api-unreadable = Indholdet kunne ikke læses.
import-api-invalid-json = Indholdet er ikke en gyldig import: { $problem }
import-api-failed = Importen mislykkedes; intet blev ændret.
