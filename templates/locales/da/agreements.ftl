# Agreements: the list.
agreements-heading = Aftaler om dataadgang
agreements-filter-label = Filtrér aftaler
agreements-export = Hent alle, der matcher, som CSV (Excel)
agreements-none = Ingen aftaler matcher.
agreements-count = { $count ->
        [one] { $count } aftale
       *[other] { $count } aftaler
    }
column-period = Periode
period-from = fra { $start }
agreement-title = Aftale { $reference }
agreement-status-national = { $status } (national betegnelse: { $national })
agreement-origin = Oprindelig anmodning
agreement-closed = Afsluttet
agreement-granted-by = givet { $reference }
agreement-revoke-heading = Tilbagekald aftalen
agreement-revoke-hint = Kræves. Leverandøren ser begrundelsen.
agreement-revoke = Tilbagekald
agreement-move-heading = Flyt aftalen til { $number }
agreement-move-intro = { $legacy } er et gammelt A-nummer, som udfases. Flyt aftalen til G-nummeret { $number } i ét trin; leverandøren får besked.
agreement-move = Flyt til { $number }
agreement-terminate-heading = Opsig aftalen
agreement-terminate-reason = Begrundelse (valgfri)
agreement-revoke-reason-required = Skriv en begrundelse for tilbagekaldelsen; leverandøren får den at se.
agreement-already-ended = Aftalen er allerede afsluttet – den står som «{ $status }».
agreement-move-not-open = Aftalen er ikke længere aktiv.
agreement-move-successor-closed = { $number } er lukket; aftalen kan ikke flyttes dertil.
agreement-move-no-successor = Registeret kender ikke et G-nummer, der erstatter institutionen.
confirm-what-happens = Det sker, når du bekræfter
confirm-cannot-undo = Det kan ikke fortrydes.
confirm-back = Fortryd, gå tilbage
confirm-revoke-heading = Tilbagekald aftale { $reference }?
confirm-revoke-what = { $supplier } mister med det samme adgangen til { $institution } for tjenesten { $service }. Adgangstjekket svarer nej fra nu af, og leverandøren får besked på mail med din begrundelse.
confirm-revoke-button = Ja, tilbagekald aftalen
confirm-terminate-heading = Opsig aftale { $reference }?
confirm-terminate-what = Tjenesten { $service } fra { $supplier } mister med det samme adgangen til { $institution }. Adgangstjekket svarer nej fra nu af, og institutionen får besked på mail.
confirm-terminate-button = Ja, opsig aftalen
