## Escalation of requests left waiting (mail)
mail-escalated-subject = { $count ->
        [one] { $shown } anmodning har ventet for længe på en afgørelse
       *[other] { $shown } anmodninger har ventet for længe på en afgørelse
    }
mail-escalated-heading = Anmodninger, der venter for længe
mail-escalated-intro = { $count ->
        [one] Denne anmodning
       *[other] Disse anmodninger
    } har ventet mere end { $days ->
        [one] { $days } dag
       *[other] { $days } dage
    } på en afgørelse. Kommunen får besked, så de ikke bliver overset:
mail-escalated-outro = Afgør anmodningerne i Tilslutning, eller sørg for, at institutionen har en godkender, der kan.
mail-escalated-operators-subject = { $count ->
        [one] Eskalering: { $shown } anmodning venter stadig
       *[other] Eskalering: { $shown } anmodninger venter stadig
    }
mail-escalated-operators-heading = Anmodninger eskaleret til driften
mail-escalated-operators-intro = { $count ->
        [one] Denne anmodning
       *[other] Disse anmodninger
    } har ventet mere end { $days ->
        [one] { $days } dag
       *[other] { $days } dage
    } på en afgørelse, også efter at kommunen fik besked:
mail-escalated-operators-outro = Kontakt institutionen eller kommunen, og se efter, om nogen har ret til at afgøre.

## Escalation on the request's history
history-escalated-to-mailbox = Sendt til kommunens fælles postkasse
history-escalated-to-officers = Sendt til kommunens dagtilbudsansvarlige (kommunen har ingen fælles postkasse til påmindelser)
history-escalated-to-operators = Sendt til driften

## The shared mailboxes page
nav-mailboxes = Fælles postkasser
nav-approvers = Godkendere
mailboxes-intro = En fælles postkasse – fx en der fører sager ind i et sagssystem – får de samme beskeder som institutionens eller kommunens godkendere. Den får aldrig en daglig samlet mail: hver besked sendes med det samme, og en anmodning til mange institutioner bliver én mail.
mailboxes-add-heading = Tilføj en fælles postkasse
mailboxes-owner = Postkasse for
mailboxes-owner-institution = Institutionen { $name }
mailboxes-owner-municipality = { $name } (hele kommunen)
mailboxes-email = E-mailadresse
mailboxes-email-hint = Fx dagtilbud-sager@kommune.dk
mailboxes-label = Betegnelse (valgfri)
mailboxes-label-hint = Så I kan kende den igen, fx "Sagssystem".
mailboxes-language = Sprog i mails
mailboxes-kinds = Beskeder, postkassen får
mailboxes-add = Tilføj postkasse
mailboxes-registered = Registrerede postkasser
mailboxes-none = Der er ingen fælles postkasser endnu.
mailboxes-remove = Fjern
mailbox-language-da = Dansk
mailbox-language-en = Engelsk
mailbox-kind-new_requests = Nye anmodninger
mailbox-kind-new_requests-hint = når en leverandør anmoder om dataadgang
mailbox-kind-reminders = Påmindelser og eskaleringer
mailbox-kind-reminders-hint = når anmodninger har ventet længe på en afgørelse
mailbox-kind-outcomes = Tilbagetrukne anmodninger og ophørte aftaler
mailbox-kind-outcomes-hint = når en anmodning trækkes tilbage eller bortfalder, eller en aftale ophører, opsiges eller flyttes
mailbox-bad-address = Skriv en gyldig e-mailadresse, fx dagtilbud-sager@kommune.dk.
mailbox-label-too-long = Betegnelsen må højst være { $max } tegn.
mailbox-no-kinds = Vælg mindst én slags besked, postkassen skal have.
mailbox-bad-language = Vælg dansk eller engelsk.
mailbox-no-owner = Vælg, hvem postkassen er for.
mailbox-already-registered = { $email } er allerede registreret som fælles postkasse her.
notice-mailbox-added = Postkassen er tilføjet.
notice-mailbox-removed = Postkassen er fjernet.
token-permission-mailboxes = Tilføje og fjerne fælles postkasser

## Who holds approver rights
approvers-title = Hvem kan godkende
approvers-intro = For hver institution, du dækker: hvem der har ret til at afgøre anmodninger og tilbagekalde aftaler – institutionens egne godkendere, kommunens dagtilbudsansvarlige for kommunale institutioner, og fuldmagter, der gælder i dag.
approvers-municipality-heading = Dagtilbudsansvarlige i { $municipality }
approvers-no-officers = Kommunen har ingen dagtilbudsansvarlige i Tilslutning.
approvers-colleague-delegations = Fuldmagter til kolleger
approvers-delegation-colleague = { $to } afgør for kommunen under fuldmagt fra { $by } ({ $period })
approvers-delegation-institution = Fuldmagt fra { $by } til kommunen ({ $period })
approvers-institutions = Institutioner
approvers-column-ownership = Ejerform
approvers-column-staff = Institutionens godkendere
approvers-column-municipality = Kommunen
approvers-officers-decide = Dagtilbudsansvarlige i { $municipality } afgør
approvers-municipality-does-not-decide = Kommunen afgør ikke
approvers-no-staff = Ingen
approvers-nobody = Ingen kan afgøre her endnu.
