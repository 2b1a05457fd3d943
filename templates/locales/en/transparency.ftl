# The public transparency pages, and the code lists they show.
transparency-intro = See which services have a data-access agreement at a school or a daycare institution, for which data and since when.
transparency-search-label = Search for an institution
transparency-search-field = The institution's name or number
transparency-search = Search
transparency-no-hits = No active institution matches «{ $q }».
transparency-sign-in = Sign in to Tilslutning
transparency-at = Data access at { $name }
transparency-search-another = Search for another institution
transparency-closed = the institution is closed
transparency-none = No service has an active data-access agreement here.
transparency-count = { $count ->
        [one] { $count } active agreement
       *[other] { $count } active agreements
    }
column-service = Service
column-supplier = Supplier
column-data = Data
column-since = Since
level-daginstitution = Daycare institution (cluster)
level-anvisningsenhed = Placement unit
level-skole = School
