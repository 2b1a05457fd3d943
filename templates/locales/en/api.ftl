# The JSON API's error messages (by code), and the sentences for each refused line of a filing or a register file, which the API and the pages share.

## The message of each API error code (`api-error-<code>`).
api-error-unauthorized = The call lacks a valid API token (Authorization: Bearer …), or the token has expired or been revoked.
api-error-forbidden = The API token may not do this.
api-error-not-found = Not found.
api-error-invalid-json = The body is not valid JSON.
api-error-invalid-field = A field is missing or has the wrong type.
api-error-invalid-value = A field has a value that cannot be used.
api-error-unknown-service = The service does not exist.
api-error-unknown-scope = The data scope does not exist.
api-error-lines-refused = Some of the institutions could not be used; see each under problems. Nothing was filed.
api-error-too-many = The call carries too many items.
api-error-conflict = Someone got there first: it is no longer in a state that allows this.
api-error-rate-limited = The API token has made too many calls in the last minute. Wait the number of seconds Retry-After gives, then try again.
api-error-database-unavailable = The database cannot be reached right now. Try again shortly.
api-error-internal = An unexpected error occurred.

## The portal's other JSON errors (`AppError` answered as JSON).
json-error-forbidden = You may not do this.
json-error-login-required = You need to sign in.
json-error-csrf = The form could not be verified.

## Why an institution number cannot be read.
number-error-empty = The institution number is missing.
number-error-wrong-length = An institution number has 6 characters, not { $count }.
number-error-bad-prefix = An institution number starts with G, A or a digit, not «{ $char }».
number-error-not-a-digit = After the first character only digits may follow; «{ $char }» is not a digit.

## Why a line of a filing was refused; $number is the number as typed.
line-problem-unit = The unit { $unit } under { $number }
line-problem-not-in-register = { $number } is not in the institution register.
line-problem-legacy-number = A-numbers cannot be used for new requests after { $cutoff }. Use the G-number { $successor }.
line-problem-legacy-number-no-successor = A-numbers cannot be used for new requests after { $cutoff }. The register does not know the institution's G-number yet; contact the institution.
line-problem-closed-on = { $number } closed on { $on } and cannot receive requests.
line-problem-closed = { $number } has closed and cannot receive requests.
line-problem-closed-on-successor = { $number } closed on { $on }. Use { $successor } instead.
line-problem-closed-successor = { $number } has closed. Use { $successor } instead.
line-problem-no-active-units = The daycare institution { $number } has no active units.
line-problem-already-pending = { $subject }: the service already has a pending request ({ $reference }).
line-problem-just-pending = { $subject }: the service has just got a pending request here or at one of the following institutions. Send again to see which.
line-problem-already-covered = { $subject }: agreement { $agreement } already covers every scope asked for.

## Why a line of a register file was refused; $column is the file's own column name.
register-problem-empty-file = The file is empty.
register-problem-unreadable-header = The header line could not be read: { $detail }
register-problem-unknown-kind = Unknown kind of file: the header must name EnhedsNummer, daginstitutionsNummer or InstitutionsNummer.
register-problem-unreadable-line = The line could not be read: { $detail }
register-problem-missing = { $column } is missing.
register-problem-bad-number = { $column } «{ $value }»: { $why }
register-problem-wrong-number-kind = { $column } «{ $value }» is not the kind of number this file holds.
register-problem-name-too-long = The name is longer than { $count } characters.
register-problem-unknown-municipality = admKommuneKode «{ $value }» is not a Danish municipality code.
register-problem-unknown-ownership = ejerformKode «{ $value }» is not one of the ownership codes (1–4).
register-problem-not-digits = { $column } «{ $value }» must be { $count } digits.
register-problem-not-an-email = Email «{ $value }» is not an e-mail address.
register-problem-unknown-status = Status «{ $value }» must be aktiv (active) or lukket (closed).
register-problem-not-a-date = { $column } «{ $value }» is not a date.
register-problem-duplicate = { $number } appears more than once in the file.
register-problem-unknown-parent = The daycare institution { $number } is neither in the register nor in the file.
register-problem-closed-number-reused = { $number } is closed; closed numbers are never reused.
import-api-empty-file = The csv field is empty.
import-api-file-too-large = The file is larger than { $count } MB.
import-api-unknown-municipality = complete_for «{ $code }» is not one of the register's municipality codes.
import-api-disabled = Register import over the API is not enabled.
import-api-unauthorized = A valid bearer token is required.
import-api-body-too-large = The body is larger than { $count } MB.
import-api-unreadable = The body could not be read.
import-api-invalid-json = The body is not a valid import: { $problem }
import-api-failed = The import failed; nothing was changed.
