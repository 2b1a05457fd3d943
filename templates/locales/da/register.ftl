# The institution register: the list, one institution, and the operators' import of register files.

## The list and one institution
register-heading = Institutionsregister
register-search-label = Søg institutioner
register-search-field = Navn eller nummer
register-all-municipalities = Alle kommuner
register-show-closed = Vis også lukkede
register-search = Søg
register-bad-municipality = Kommunekoden skal være tre cifre.
register-none = Ingen institutioner matcher.
register-count = { $count ->
        [one] { $count } institution
       *[other] { $count } institutioner
    }
column-number = Nummer
column-level = Niveau
column-type = Type
municipality-with-code = { $name } ({ $code })
institution-active = Aktiv
institution-closed = Lukket
institution-closed-on = Lukket { $date }
register-legal-basis = Lovgrundlag
register-parent = Daginstitution (klynge)
register-cvr = CVR-nummer
register-p-number = P-nummer
register-address = Adresse
register-email = E-mail
register-phone = Telefon
register-replaced-by = Erstattet af
register-units = Aktive anvisningsenheder
register-request-here = Anmod om dataadgang her

## Importing a register file
import-title = Import af institutionsregister
import-intro = Filer fra Dagtilbudsregisteret (daginstitutioner eller anvisningsenheder) eller Institutionsregisteret, i registrenes egne kolonnenavne. UTF-8 eller Windows-1252, adskilt af semikolon eller komma. Samme fil to gange ændrer intet.
import-file = Fil
import-complete-for = Filen er komplet for kommunen (valgfrit)
import-complete-hint = Institutioner i kommunen, der mangler i filen (på filens niveauer), lukkes.
import-complete-none = Ingen – luk kun det, filen selv lukker
import-dry-run = Prøvekørsel: vis hvad der vil ske, uden at ændre noget
import-submit = Importér
import-result-dry-run = Prøvekørsel af { $file } – intet er ændret
import-result-nothing = Intet i { $file } kunne bruges – intet er ændret
import-result-applied = { $file } er importeret
import-created = Nye
import-changed = Ændrede
import-closed = Lukkes
import-unchanged = Uændrede
import-refused = Afviste linjer
import-lapsed-requests = Bortfaldne anmodninger
import-ended-agreements = Ophørte aftaler
import-line = Linje { $line }: { $text }
import-closure = { $institution } lukkes pr. { $date }
import-closure-successor = { $institution } lukkes pr. { $date } og videreføres som { $successor }
import-lapsing = { $count ->
        [one] { $count } ventende anmodning bortfalder
       *[other] { $count } ventende anmodninger bortfalder
    }
import-ending = { $count ->
        [one] { $count } aftale ophører
       *[other] { $count } aftaler ophører
    }
import-change = { $field }: { $before } → { $after }
import-value-empty = (tom)
import-choose-file = Vælg en fil at importere.
import-too-large = Filen er større end { $mb } MB.
import-unknown-municipality = «{ $code }» er ikke en kommunekode.
import-unreadable-form = Formularen kunne ikke læses. Prøv igen.
import-unreadable-file = Filen kunne ikke læses. Prøv igen.
import-not-done = Intet er importeret.
# The fields an import changes (register-field-<field>).
register-field-name = Navn
register-field-level = Niveau
register-field-parent_number = Daginstitution (klynge)
register-field-inst_type_code = Institutionstype
register-field-ownership_code = Ejerform
register-field-legal_basis_code = Lovgrundlag
register-field-municipality_code = Kommune
register-field-cvr = CVR-nummer
register-field-p_number = P-nummer
register-field-street = Adresse
register-field-postal_code = Postnummer
register-field-city = By
register-field-email = E-mail
register-field-phone = Telefon
