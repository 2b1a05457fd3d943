# Refusals of a posted form that cannot be read (the CSRF-checked form of src/auth/csrf.rs).
form-unreadable = The form is too large or could not be read.
form-bad-values = The form held values we could not read.
