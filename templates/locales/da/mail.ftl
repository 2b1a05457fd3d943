# Mail: notifications about requests and agreements, the daily digest, invitation and
# password links, and the footer every mail ends with.

## Lines shared by several mails
mail-line-institution = Institution: { $number } { $name }
mail-line-scopes = Dataadgange: { $scopes }
mail-line-service = Tjeneste: { $service } ({ $supplier })
mail-scope-sensitive = { $name } (følsom)
mail-line-reason = Begrundelse: { $reason }

## Requests waiting for a decision
mail-undecidable = Ingen kan afgøre denne anmodning endnu: { $institution } har ingen registreret godkender i Tilslutning. Institutionens ledelse skal have en medarbejder registreret som godkender (rollen { $role } for { $number }); Tilslutnings drift opretter godkenderen efter aftale. Indtil da venter anmodningen, og driften har den på sin liste.
mail-outro-decide = Godkend eller afvis i Tilslutning.
mail-outro-nobody = Ingen kan godkende eller afvise { $count ->
        [one] denne anmodning
       *[other] disse anmodninger
    }, før institutionen har en registreret godkender. Kontakt Tilslutnings drift for at få en godkender oprettet.
mail-outro-some = Godkend eller afvis i Tilslutning. De anmodninger, der er markeret ovenfor, kan ingen afgøre, før institutionen har en registreret godkender.
mail-new-subject-one = Ny anmodning om dataadgang: { $reference } ({ $institution })
mail-new-subject-many = { $count ->
        [one] { $shown } ny anmodning om dataadgang
       *[other] { $shown } nye anmodninger om dataadgang
    }
mail-new-heading = { $count ->
        [one] En ny anmodning venter på afgørelse
       *[other] Nye anmodninger venter på afgørelse
    }
mail-new-heading-no-approver = { $count ->
        [one] Ny anmodning – institutionen mangler en godkender
       *[other] Nye anmodninger – institutionen mangler en godkender
    }
mail-new-intro = { $count ->
        [one] En leverandør har anmodet om dataadgang til en institution, du kan afgøre for:
       *[other] En leverandør har anmodet om dataadgang til institutioner, du kan afgøre for:
    }
mail-new-intro-no-approver = En leverandør har anmodet om dataadgang til en institution, som ingen i Tilslutning kan afgøre for endnu. Du får besked, fordi du er institutionens eller kommunens kontakt:
mail-reminder-subject = { $count ->
        [one] { $shown } anmodning venter stadig på din afgørelse
       *[other] { $shown } anmodninger venter stadig på din afgørelse
    }
mail-reminder-heading = Påmindelse
mail-reminder-intro = { $count ->
        [one] Denne anmodning
       *[other] Disse anmodninger
    } har ventet mere end { $days ->
        [one] { $days } dag
       *[other] { $days } dage
    }:

## The decision, as a receipt to the supplier
mail-decision-subject-approved = Afgørelse på { $reference }: godkendt
mail-decision-subject-rejected = Afgørelse på { $reference }: afvist
mail-decision-heading-approved = Anmodning { $reference } er godkendt
mail-decision-heading-rejected = Anmodning { $reference } er afvist
mail-decision-intro = { $service } – { $institution } ({ $municipality })
mail-decided-by-role = Afgjort af: { $name } ({ $role }), { $when }
mail-decided-by-delegation = Afgjort af: { $name } under fuldmagt, { $when }
mail-decided-by = Afgjort af: { $name }, { $when }
mail-delegation-institution = Fuldmagt fra { $institution }: kommunen ({ $municipality }) afgør for institutionen ({ $from }–{ $until }).
mail-delegation-colleague = Fuldmagt fra { $grantor } til at afgøre som dagtilbudsansvarlig i { $municipality } ({ $from }–{ $until }).
mail-delegation-unknown = Afgørelsen er truffet under en fuldmagt.
mail-line-granted = Godkendt: { $scopes }
mail-line-refused = Ikke godkendt: { $scopes }
mail-line-agreement = Aftale: { $reference }
mail-line-comment = Kommentar: { $comment }
mail-decision-outro = Denne mail er en kvittering for afgørelsen.

## A request that ended without a decision
mail-withdrawn-subject = { $reference } er trukket tilbage
mail-withdrawn-heading = Anmodning trukket tilbage
mail-withdrawn-intro = Leverandøren har trukket anmodningen tilbage. Du skal ikke gøre mere.
mail-line-withdrawn = Trukket tilbage af: { $name }, { $when }
mail-lapsed-subject = { $reference } er bortfaldet
mail-lapsed-heading = Anmodning bortfaldet
mail-lapsed-intro = Anmodningen er bortfaldet uden afgørelse og kan ikke længere afgøres.
mail-line-lapsed = Bortfaldet: { $when }
mail-line-cause = Årsag: { $reason }

## Agreements
mail-agreement-terminated = Aftale { $reference } er opsagt af leverandøren
mail-agreement-revoked = Aftale { $reference } er tilbagekaldt af institutionen
mail-agreement-expired = Aftale { $reference } er udløbet
mail-agreement-ended = Aftale { $reference } er ophørt
mail-agreement-closed-intro = Dataadgangen efter aftalen er ophørt.
mail-moved-subject = Aftale flyttet til { $number } – { $reference }
mail-moved-heading = Aftalen er flyttet til institutionens G-nummer
mail-moved-intro = Institutionens gamle A-nummer udfases. Aftalen gælder nu for G-nummeret; brug det i jeres integration.
mail-moved-title = { $reference } – { $service }

## The daily digest
mail-digest-subject = Daglig oversigt fra Tilslutning: { $count ->
        [one] { $shown } besked
       *[other] { $shown } beskeder
    }
mail-digest-heading = Daglig oversigt
mail-digest-intro = Siden sidste oversigt:

## Invitation and password links
mail-invite-subject = Du er inviteret til Tilslutning
mail-invite-heading = Velkommen til Tilslutning
mail-invite-intro-by = { $inviter } har oprettet dig i Tilslutning.
mail-invite-intro = Du er oprettet i Tilslutning.
mail-invite-title = Vælg din adgangskode
mail-invite-valid = Linket virker i 7 dage og kun én gang.
mail-reset-subject = Ny adgangskode til Tilslutning
mail-reset-heading = Vælg en ny adgangskode
mail-reset-intro = Nogen har bedt om at nulstille adgangskoden til din konto.
mail-reset-valid = Linket virker i en time og kun én gang.
mail-reset-outro = Har du ikke selv bedt om det, kan du se bort fra mailen. Din adgangskode er uændret.

## The footer
mail-footer-why = Du får denne mail på grund af din rolle i Tilslutning.
mail-footer-choose = Vælg en daglig oversigt eller et andet sprog på { $page }.
mail-footer-page = din profilside
mail-footer-choose-text = Vælg en daglig oversigt eller et andet sprog på din profilside: { $url }
