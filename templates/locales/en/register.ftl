# The institution register: the list, one institution, and the operators' import of register files.

## The list and one institution
register-heading = Institution register
register-search-label = Search institutions
register-search-field = Name or number
register-all-municipalities = All municipalities
register-show-closed = Include closed institutions
register-search = Search
register-bad-municipality = The municipality code must be three digits.
register-none = No institutions match.
register-count = { $count ->
        [one] { $count } institution
       *[other] { $count } institutions
    }
column-number = Number
column-level = Level
column-type = Type
municipality-with-code = { $name } ({ $code })
institution-active = Active
institution-closed = Closed
institution-closed-on = Closed on { $date }
register-legal-basis = Legal basis
register-parent = Daycare institution (cluster)
register-cvr = CVR number
register-p-number = P-number
register-address = Address
register-email = E-mail
register-phone = Phone
register-replaced-by = Replaced by
register-units = Active placement units
register-request-here = Request data access here

## Importing a register file
import-title = Import of the institution register
import-intro = Files from the Daycare Register (daycare institutions or placement units) or the Institution Register, with the registers' own column names. UTF-8 or Windows-1252, separated by semicolons or commas. Importing the same file twice changes nothing.
import-file = File
import-complete-for = The file is complete for the municipality (optional)
import-complete-hint = Institutions of the municipality that are missing from the file (at the file's levels) are closed.
import-complete-none = None – close only what the file itself closes
import-dry-run = Dry run: show what would happen, without changing anything
import-submit = Import
import-result-dry-run = Dry run of { $file } – nothing has been changed
import-result-nothing = Nothing in { $file } could be used – nothing has been changed
import-result-applied = { $file } has been imported
import-created = New
import-changed = Changed
import-closed = To be closed
import-unchanged = Unchanged
import-refused = Refused lines
import-lapsed-requests = Lapsed requests
import-ended-agreements = Ended agreements
import-line = Line { $line }: { $text }
import-closure = { $institution } closes on { $date }
import-closure-successor = { $institution } closes on { $date } and continues as { $successor }
import-lapsing = { $count ->
        [one] { $count } pending request lapses
       *[other] { $count } pending requests lapse
    }
import-ending = { $count ->
        [one] { $count } agreement ends
       *[other] { $count } agreements end
    }
import-change = { $field }: { $before } → { $after }
import-value-empty = (empty)
import-choose-file = Choose a file to import.
import-too-large = The file is larger than { $mb } MB.
import-unknown-municipality = «{ $code }» is not a municipality code.
import-unreadable-form = The form could not be read. Try again.
import-unreadable-file = The file could not be read. Try again.
import-not-done = Nothing has been imported.
# The fields an import changes (register-field-<field>).
register-field-name = Name
register-field-level = Level
register-field-parent_number = Daycare institution (cluster)
register-field-inst_type_code = Institution type
register-field-ownership_code = Ownership
register-field-legal_basis_code = Legal basis
register-field-municipality_code = Municipality
register-field-cvr = CVR number
register-field-p_number = P-number
register-field-street = Address
register-field-postal_code = Postcode
register-field-city = Town
register-field-email = E-mail
register-field-phone = Phone
