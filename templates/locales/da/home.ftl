# The start page of every role.
count-more-than = mere end { $shown }
home-welcome = Velkommen
home-welcome-name = Velkommen, { $name }
home-no-role-heading = Du har endnu ingen adgang
home-no-role = Din bruger er ikke knyttet til en leverandør, en kommune eller en institution. Kontakt din kommunes administrator eller portalens support for at få tildelt en rolle.
home-your-roles = Dine roller:
home-scope-municipality = { $name } ({ $code })
home-scope-everything = hele portalen
home-awaiting-heading = Venter på din afgørelse
home-awaiting-after = { $count ->
        [one] anmodning, du kan godkende eller afvise – på tværs af alle dine institutioner.
       *[other] anmodninger, du kan godkende eller afvise – på tværs af alle dine institutioner.
    }
home-go-to-inbox = Gå til indbakken
home-new-request = Anmod om dataadgang for en af jeres tjenester – til én eller mange institutioner på én gang.
home-new-request-button = Opret anmodning
home-pending-after = { $count ->
        [one] ventende anmodning, du kan se.
       *[other] ventende anmodninger, du kan se.
    }
home-all-requests = Alle anmodninger
home-only-pending = Kun ventende
home-agreements-after = { $count ->
        [one] aktiv aftale om dataadgang.
       *[other] aktive aftaler om dataadgang.
    }
home-all-agreements = Alle aftaler
home-register-heading = Institutionsregister
home-register = Søg i skoler og dagtilbud efter navn eller institutionsnummer.
home-register-link = Søg institutioner
home-overview-heading = Overblik
home-overview = Du kan læse alle anmodninger og aftaler inden for dit område.
