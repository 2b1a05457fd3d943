# The supplier's own account (services, colleagues, activity) and the operators'
# administration of suppliers and the scope catalogue.
nav-supplier-account = Leverandørkonto
nav-suppliers = Leverandører
nav-scopes = Dataadgange
account-tabs-label = Leverandørkontoen
account-tab-services = Tjenester
account-tab-colleagues = Kolleger
account-tab-activity = Aktivitet

admin-field-name = Navn
admin-field-description = Beskrivelse
admin-field-website = Hjemmeside
admin-field-privacy-url = Privatlivspolitik (adresse)
admin-field-contact-email = Kontakt-e-mail
admin-field-cvr = CVR-nummer
admin-field-code = Kode
admin-field-name-da = Navn på dansk
admin-field-name-en = Navn på engelsk
admin-field-description-da = Beskrivelse på dansk
admin-field-description-en = Beskrivelse på engelsk
admin-field-sensitive = Følsom
admin-field-sort-order = Rækkefølge
admin-hint-web-address = En fuld adresse, der begynder med https:// eller http://, fx https://eksempel.dk/privatliv.
admin-problem-missing = Udfyld { $field }.
admin-problem-too-long = { $field } er for lang.
admin-problem-not-a-web-address = { $field } skal være en fuld webadresse, der begynder med https:// eller http://.
admin-problem-not-an-email = { $field } skal være en e-mailadresse som navn@eksempel.dk.
admin-problem-cvr-digits = { $field } skal være 8 cifre.
admin-problem-cvr-checksum = { $field } er ikke et gyldigt CVR-nummer (kontrolcifferet passer ikke). Tjek, at det er skrevet rigtigt.
admin-problem-bad-code = { $field } må kun indeholde store bogstaver A–Z, cifre og _.
admin-problem-not-a-number = { $field } skal være et helt tal.
admin-problem-taken = { $field } er allerede i brug.

services-title = Tjenester hos { $supplier }
services-new = Ny tjeneste
services-none = Leverandøren har ingen tjenester endnu.
services-count = { $count ->
        [one] { $count } tjeneste
       *[other] { $count } tjenester
    }
services-supplier-unverified = Leverandøren er ikke verificeret af portalens drift endnu, så den kan ikke indsende anmodninger. Tjenesterne kan godt oprettes.
service-status-active = Aktiv
service-status-retired = Udfaset
service-is-retired = Tjenesten er udfaset: den kan ikke få nye anmodninger.
service-not-saved = Tjenesten er ikke gemt. Ret felterne herunder.
service-save = Gem tjenesten
service-retire-heading = Udfas tjenesten
service-retire-explained = En udfaset tjeneste kan ikke få nye anmodninger, og dens ventende anmodninger bortfalder. Du vælger, hvad der skal ske med dens aftaler, på næste side.
service-retire = Udfas tjenesten
retire-heading = Udfas { $service }
retire-no-new-requests = Tjenesten kan ikke længere vælges, når der indsendes anmodninger.
retire-pending-lapse = { $count ->
        [0] Der er ingen ventende anmodninger.
        [one] { $count } ventende anmodning bortfalder, og institutionen får besked.
       *[other] { $count } ventende anmodninger bortfalder, og institutionerne får besked.
    }
retire-agreements-question = { $count ->
        [one] Tjenesten har { $count } aftale i kraft. Hvad skal der ske med den?
       *[other] Tjenesten har { $count } aftaler i kraft. Hvad skal der ske med dem?
    }
retire-agreements-end = Opsig dem nu (institutionerne får besked)
retire-agreements-keep = Lad dem løbe, til de udløber eller bliver opsagt
retire-no-agreements = Tjenesten har ingen aftaler i kraft.
retire-choose = Vælg, hvad der skal ske med aftalerne.
reason-service-retired = Leverandøren har udfaset tjenesten { $service }.

colleagues-title = Kolleger hos { $supplier }
colleagues-count = { $count ->
        [one] { $count } person
       *[other] { $count } personer
    }
colleague-actions = Handlinger
colleague-remove = Fjern
colleague-you = Dig
colleague-invite-heading = Invitér en kollega
colleague-role = Rolle
colleague-invite-hint = Kollegaen får en e-mail med et link til at vælge sin adgangskode. Rollen gælder kun hos denne leverandør.
colleague-invite = Send invitation
colleague-not-invited = Invitationen er ikke sendt. Ret felterne herunder.
colleague-problem-role = Vælg leverandørbruger eller leverandøradministrator.
colleague-problem-email-taken = { $email } har allerede en konto i portalen. Bed portalens drift om at knytte den til leverandøren.
colleague-last-admin = Leverandøren skal have mindst én administrator. Gør en anden til administrator, før du fjerner den sidste.

activity-title = Aktivitet hos { $supplier }
activity-intro = Hvem der har gjort hvad på leverandørens konto, nyeste først: tjenester, kolleger, anmodninger og aftaler.
activity-none = Der er ingen aktivitet endnu.
activity-caption = Leverandørens aktivitet

filing-supplier-not-verified-heading = Leverandøren er ikke verificeret endnu
filing-supplier-not-verified = { $supplier } er ikke verificeret af portalens drift endnu, så der kan ikke indsendes anmodninger. Driften verificerer leverandøren ud fra CVR-nummeret; kontakt dem, hvis det trækker ud.
filing-supplier-not-verified-short = Leverandøren er ikke verificeret af portalens drift endnu, så der kan ikke indsendes anmodninger.

suppliers-intro = Leverandører oprettes med navn og CVR-nummer og skal verificeres, før de kan indsende anmodninger.
suppliers-count = { $count ->
        [one] { $count } leverandør
       *[other] { $count } leverandører
    }
supplier-verified = Verificeret
supplier-is-verified = Ja
supplier-not-verified = Nej
supplier-verify = Verificér
supplier-unverify = Fjern verificering
supplier-choose-verification = Vælg, om leverandøren skal verificeres.
supplier-new-heading = Opret en leverandør
supplier-cvr-hint = 8 cifre, fx 10150345. Kontrolcifferet tjekkes.
supplier-create = Opret leverandøren
supplier-not-created = Leverandøren er ikke oprettet. Ret felterne herunder.

scopes-intro = Dataadgangene, som leverandører kan anmode om. En kode kan ikke ændres eller fjernes, fordi anmodninger og aftaler henviser til den.
scopes-new = Ny dataadgang
scopes-count = { $count ->
        [one] { $count } dataadgang
       *[other] { $count } dataadgange
    }
scopes-in-use = Brugt i anmodninger og aftaler
scope-code-hint = Store bogstaver A–Z, cifre og _, fx FRAVAER. Koden kan ikke ændres bagefter.
scope-code-fixed = Koden kan ikke ændres, fordi anmodninger og aftaler henviser til den.
scope-sensitive-label = Følsom (leverandøren skal begrunde den, og den vises for sig)
scope-save = Gem dataadgangen
scope-not-saved = Dataadgangen er ikke gemt. Ret felterne herunder.

token-permission-administer = Administrere leverandørens tjenester og kolleger

notice-service-created = Tjenesten er oprettet.
notice-service-saved = Tjenesten er gemt.
notice-service-retired = Tjenesten er udfaset.
notice-service-already-retired = Tjenesten var allerede udfaset.
notice-colleague-invited = Invitationen er sendt.
notice-colleague-removed = Kollegaen er fjernet fra leverandøren.
notice-supplier-created = Leverandøren er oprettet. Den skal verificeres, før den kan indsende anmodninger.
notice-supplier-verified = Leverandøren er verificeret.
notice-supplier-unverified = Leverandørens verificering er fjernet.
notice-scope-created = Dataadgangen er oprettet.
notice-scope-saved = Dataadgangen er gemt.

api-error-supplier-not-verified = Leverandøren er ikke verificeret af portalens drift endnu, så den kan ikke indsende anmodninger.
api-error-last-admin = Leverandøren skal have mindst én administrator.

register-field-description = Beskrivelse
register-field-website = Hjemmeside
register-field-privacy_url = Privatlivspolitik
register-field-contact_email = Kontakt-e-mail
register-field-name_da = Navn på dansk
register-field-name_en = Navn på engelsk
register-field-description_da = Beskrivelse på dansk
register-field-description_en = Beskrivelse på engelsk
register-field-sensitive = Følsom
register-field-sort_order = Rækkefølge
audit-detail-description = Beskrivelse
audit-detail-website = Hjemmeside
audit-detail-privacy_url = Privatlivspolitik
audit-detail-contact_email = Kontakt-e-mail
audit-detail-name_da = Navn på dansk
audit-detail-name_en = Navn på engelsk
audit-detail-description_da = Beskrivelse på dansk
audit-detail-description_en = Beskrivelse på engelsk
audit-detail-sensitive = Følsom
audit-detail-sort_order = Rækkefølge
audit-detail-cvr = CVR-nummer
audit-detail-verified = Verificeret
audit-detail-agreements = Aftalerne
audit-detail-open_agreements = Aftaler i kraft

detail-service-description = Om tjenesten
detail-service-privacy = Privatlivspolitik
transparency-purpose = Formål
transparency-privacy = Privatlivspolitik
transparency-privacy-link = Læs privatlivspolitikken
