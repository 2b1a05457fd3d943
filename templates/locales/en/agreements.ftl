# Agreements: the list.
agreements-heading = Data-access agreements
agreements-filter-label = Filter agreements
agreements-export = Download all that match as CSV (Excel)
agreements-none = No agreements match.
agreements-count = { $count ->
        [one] { $count } agreement
       *[other] { $count } agreements
    }
column-period = Period
period-from = from { $start }
