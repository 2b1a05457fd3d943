# Lists of requests, the inbox and bulk decisions.
pager-label = Sider
pager-first = Første side
pager-next = Næste side
table-on-this-page = på denne side
table-more = der er flere
filter-show = Vis
filter-all = Alle
filter-institution-number = Institutionsnummer
column-choose = Vælg
choose-row = Vælg { $reference }
column-reference = Reference
column-institution = Institution
column-scopes = Dataadgange
column-status = Status
column-filed = Indsendt
scope-sensitive = følsom
request-extension = Udvidelse
request-klynge = Klynge { $number }
requests-count = { $count ->
        [one] { $count } anmodning
       *[other] { $count } anmodninger
    }
requests-filter-label = Filtrér anmodninger
requests-show-all = Vis alle anmodninger, ikke kun de netop sendte
requests-no-approver = { $count ->
        [one] { $count } institution har endnu ingen, der kan afgøre anmodningen:
       *[other] { $count } institutioner har endnu ingen, der kan afgøre anmodningen:
    }
requests-no-approver-why = Anmodningerne er sendt og venter, men ingen i Tilslutning kan afgøre dem endnu: institutionen har ingen registreret godkender – hverken eget personale eller, for en kommunal institution, kommunens dagtilbudsansvarlige. Institutionen (eller kommunen) har fået besked om, at en godkender skal registreres hos Tilslutnings drift, og driften har anmodningerne på sin liste. Du kan fremskynde det ved selv at kontakte institutionen.
requests-none = Ingen anmodninger matcher.
inbox-intro = Ventende anmodninger for alle de institutioner, du kan afgøre for.
inbox-decided = { $count ->
        [one] { $count } anmodning afgjort.
       *[other] { $count } anmodninger afgjort.
    }
inbox-skipped = { $count ->
        [one] { $count } blev sprunget over, fordi den allerede var afgjort eller ikke er din at afgøre.
       *[other] { $count } blev sprunget over, fordi de allerede var afgjort eller ikke er dine at afgøre.
    }
inbox-sensitive-left = { $count ->
        [one] { $count } anmodning med følsomme dataadgange blev ikke godkendt og venter stadig
       *[other] { $count } anmodninger med følsomme dataadgange blev ikke godkendt og venter stadig
    }
inbox-sensitive-left-why = , fordi de følsomme dataadgange ikke var bekræftet. Afgør dem én ad gangen, eller bekræft dem i listen nedenfor.
inbox-filter-label = Filtrér indbakken
inbox-filter-institution = Institutions- eller klyngenummer
inbox-empty = Der er ingen anmodninger, der venter på dig.
inbox-decide-legend = Afgør de valgte anmodninger
inbox-all-matching = Alle ventende anmodninger, der matcher filteret – ikke kun de valgte på denne side (højst 10.000 ad gangen)
inbox-sensitive-legend = Følsomme dataadgange – bekræft hver anmodning for sig
inbox-sensitive-hint = En samlet godkendelse giver kun følsomme dataadgange (fx CPR-numre og husstandsindkomst) til de anmodninger, du sætter flueben ved her. Uden flueben forbliver anmodningen ventende, så du kan afgøre den for sig. Anmodninger på andre sider godkendes aldrig med følsomme dataadgange i en samlet godkendelse.
inbox-confirm-also = Godkend også
inbox-confirm-in = i
inbox-reason = Begrundelse eller kommentar (kræves ved afvisning)
inbox-reason-hint = Leverandøren ser teksten – ved en godkendelse som kommentar i kvitteringen.
inbox-approve = Godkend valgte (alle dataadgange)
inbox-reject = Afvis valgte
filter-unknown-status = Ukendt status; vis alle eller vælg en fra listen.
inbox-klynge = Klynge { $number } { $name }
inbox-no-klynge = Uden klynge (skoler, dagpleje, klubber)
inbox-none-chosen = Vælg mindst én anmodning, eller vælg alle, der matcher filteret.
rerequest-service-gone = Tjenesten findes ikke længere; anmodningen kan ikke sendes igen.
confirm-bulk-approve-heading = { $count ->
        [one] Godkend { $count } anmodning?
       *[other] Godkend { $count } anmodninger?
    }
confirm-bulk-reject-heading = { $count ->
        [one] Afvis { $count } anmodning?
       *[other] Afvis { $count } anmodninger?
    }
confirm-bulk-approve-all-heading = Godkend alle, der matcher filteret?
confirm-bulk-reject-all-heading = Afvis alle, der matcher filteret?
confirm-bulk-approve-chosen = { $count ->
        [one] Den valgte anmodning godkendes med alle sine dataadgange, og leverandøren får adgang med det samme og besked på mail. Følsomme dataadgange godkendes kun, hvor du har bekræftet dem.
       *[other] De { $count } valgte anmodninger godkendes med alle deres dataadgange, og leverandørerne får adgang med det samme og besked på mail. Følsomme dataadgange godkendes kun, hvor du har bekræftet dem.
    }
confirm-bulk-reject-chosen = { $count ->
        [one] Den valgte anmodning afvises, og leverandøren får besked på mail med din begrundelse.
       *[other] De { $count } valgte anmodninger afvises, og leverandørerne får besked på mail med din begrundelse.
    }
confirm-bulk-approve-all = Alle ventende anmodninger, du kan afgøre, { $filter }, godkendes med alle deres dataadgange – højst { $limit } ad gangen. Leverandørerne får adgang med det samme og besked på mail. Anmodninger med følsomme dataadgange, du ikke har bekræftet, venter fortsat.
confirm-bulk-reject-all = Alle ventende anmodninger, du kan afgøre, { $filter }, afvises – højst { $limit } ad gangen. Leverandørerne får besked på mail med din begrundelse.
confirm-bulk-filter = under { $filter }
confirm-bulk-no-filter = i hele din indbakke
confirm-bulk-approve-button = Ja, godkend
confirm-bulk-reject-button = Ja, afvis
