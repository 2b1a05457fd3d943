# Refusals of a posted form that cannot be read (the CSRF-checked form of src/auth/csrf.rs).
form-unreadable = Formularen er for stor eller kunne ikke læses.
form-bad-values = Formularen indeholdt værdier, vi ikke kunne læse.
