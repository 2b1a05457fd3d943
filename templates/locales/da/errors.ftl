# Error pages: a heading and what to do.
error-go-home = Gå til forsiden
error-unavailable-title = Portalen er midlertidigt utilgængelig
error-unavailable = Portalen kan ikke få kontakt til sin database lige nu. Prøv igen om lidt — det, du allerede har gemt, er ikke gået tabt.
error-not-found-title = Siden findes ikke
error-not-found = Vi kunne ikke finde det, du leder efter. Tjek adressen, eller gå til forsiden.
error-forbidden-title = Ingen adgang
error-forbidden = Du har ikke adgang til denne side eller handling.
error-login-required-title = Log ind
error-login-required = Du skal logge ind.
error-csrf-title = Formularen er udløbet
error-csrf = Formularen kunne ikke bekræftes. Gå tilbage, genindlæs siden og prøv igen.
error-bad-request-title = Ugyldig forespørgsel
error-unexpected-title = Der opstod en fejl
error-unexpected = Der opstod en uventet fejl hos os. Prøv igen om lidt; fortsætter fejlen, kontakt supporten.
error-bad-query = Adressen indeholdt en ugyldig værdi. Gå tilbage og prøv igen.
