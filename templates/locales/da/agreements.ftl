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
