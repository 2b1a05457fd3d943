# An agreement's life after approval: holds ("sat i bero"), reminders before the end, renewal.
hold-heading = Sat i bero
hold-none = Aftalen er ikke sat i bero. Sæt den i bero, hvis data midlertidigt ikke må hentes; leverandøren får besked med din begrundelse, og du kan genoptage den igen.
hold-side-institution = institutionen
hold-side-supplier = leverandøren
hold-by = Sat i bero af { $side }: { $reason }
hold-held-by = Sat i bero af { $side }
hold-since-why = { $since }: { $reason }
hold-access-no = Adgangstjekket svarer nej, så længe aftalen er sat i bero.
hold-reason = Begrundelse
hold-reason-hint = Kræves. Leverandøren ser begrundelsen.
hold-suspend = Sæt aftalen i bero
hold-resume = Genoptag aftalen
hold-reason-required = Skriv en begrundelse for, at aftalen sættes i bero; den anden part får den at se.
hold-already-held = Aftalen er allerede sat i bero – en anden nåede det først.
hold-not-held = Aftalen er ikke sat i bero af jer længere – en anden har genoptaget den.
hold-service-nothing = Der er ingen aftaler at ændre for tjenesten.
confirm-suspend-heading = Sæt aftale { $reference } i bero?
confirm-suspend-what = { $supplier } må ikke hente data fra { $institution } for tjenesten { $service }, før aftalen genoptages. Adgangstjekket svarer nej fra nu af, og begge parter får besked på mail med din begrundelse.
confirm-suspend-button = Ja, sæt aftalen i bero
confirm-resume-heading = Genoptag aftale { $reference }?
confirm-resume-what = Tjenesten { $service } fra { $supplier } får adgang igen. Adgangstjekket svarer ja fra nu af, og begge parter får besked på mail.
confirm-resume-what-still-held = Jeres pause ophæves, men { $supplier } har selv sat tjenesten { $service } i bero, så adgangstjekket svarer stadig nej, til leverandøren genoptager den. Begge parter får besked på mail.
confirm-resume-button = Ja, genoptag aftalen
hold-services-heading = Sæt en tjeneste i bero
hold-services-intro = Sætter du en tjeneste i bero, sættes alle dens aktive aftaler i bero på én gang, og institutionerne får besked. Når du genoptager den, ophæves kun jeres egen pause: en aftale, som institutionen selv har sat i bero, forbliver i bero.
hold-service-summary = { $open ->
        [one] { $open } åben aftale
       *[other] { $open } åbne aftaler
    }, heraf { $held } sat i bero af jer.
hold-service-reason = Jeres begrundelse: { $reason }
hold-service-reason-hint = Kræves. Institutionerne ser begrundelsen.
hold-service-pause = Sæt { $service } i bero
hold-service-resume = Genoptag { $service }
confirm-service-pause-heading = Sæt tjenesten { $service } i bero?
confirm-service-pause-what = Alle { $open } åbne aftaler for { $service } sættes i bero. Adgangstjekket svarer nej for dem fra nu af, og institutionerne får besked på mail med din begrundelse.
confirm-service-pause-button = Ja, sæt tjenesten i bero
confirm-service-unpause-heading = Genoptag tjenesten { $service }?
confirm-service-unpause-what = Jeres pause ophæves på { $held } aftaler for { $service }. De aftaler, som institutionen selv har sat i bero, forbliver i bero. Begge parter får besked på mail.
confirm-service-unpause-button = Ja, genoptag tjenesten
csv-on-hold = Sat i bero
notice-suspended = Aftalen er sat i bero. Leverandøren får besked.
notice-resumed = Aftalen er genoptaget. Leverandøren får besked.
notice-resumed-still-held = Jeres pause er ophævet, men leverandøren holder stadig aftalen i bero.
notice-service-paused = Tjenesten er sat i bero. Institutionerne får besked.
notice-service-resumed = Jeres pause på tjenesten er ophævet. Institutionerne får besked.
mail-hold-status-now = Status nu: { $status }
mail-hold-suspended = Aftale { $reference } er sat i bero
mail-hold-resumed = Aftale { $reference } er genoptaget
mail-hold-resumed-still-held = Aftale { $reference }: én pause er ophævet, men aftalen er stadig i bero
mail-hold-suspended-intro = Der må ikke hentes data efter aftalen, før den er genoptaget. Adgangstjekket svarer nej imens.
mail-hold-resumed-intro = En pause er ophævet. Aftalen gælder igen, når ingen af parterne holder den i bero.
mail-hold-service-paused = Tjenesten { $service } er sat i bero ({ $count ->
        [one] { $count } aftale
       *[other] { $count } aftaler
    })
mail-hold-service-resumed = Tjenesten { $service } er genoptaget ({ $count ->
        [one] { $count } aftale
       *[other] { $count } aftaler
    })
mail-hold-service-paused-intro = Leverandøren har sat tjenesten i bero. Der hentes ikke data efter disse aftaler, før den genoptages.
mail-ending-intro = Aftalen ophører af sig selv på slutdatoen, og adgangstjekket svarer nej derefter.
mail-ending-outro-supplier = Skal aftalen fortsætte, kan du forny den med ét klik på aftalens side; godkenderen får en anmodning om fornyelse.
mail-ending-outro-institution = Ønsker leverandøren at fortsætte, får I en anmodning om fornyelse at tage stilling til.
renew-heading = Forny aftalen
renew-intro = Fornyelsen sendes som en anmodning med aftalens tjeneste, dataadgange og formål til godkenderen. Godkendes den, fortsætter den samme aftale til den nye slutdato.
renew-until = Ny slutdato
renew-until-hint = Lad feltet stå tomt, hvis aftalen skal gælde uden slutdato.
renew-button = Anmod om fornyelse
renew-date-invalid = Skriv slutdatoen som åååå-mm-dd eller dd-mm-åååå, fx 2027-12-31.
renew-end-too-early = Den nye slutdato skal ligge efter aftalens nuværende slutdato.
renew-already-pending = Der er allerede en anmodning under behandling for tjenesten på institutionen ({ $reference }).
notice-renewal-filed = Anmodningen om fornyelse er sendt. Godkenderen får besked.
request-renews = Fornyelse af aftale { $reference }
