# The public transparency pages, and the code lists they show.
transparency-intro = Se hvilke tjenester der har en aftale om dataadgang på en skole eller et dagtilbud, til hvilke data og siden hvornår.
transparency-search-label = Søg institution
transparency-search-field = Institutionens navn eller nummer
transparency-search = Søg
transparency-no-hits = Ingen aktive institutioner matcher «{ $q }».
transparency-sign-in = Log ind i Tilslutning
transparency-at = Dataadgang på { $name }
transparency-search-another = Søg en anden institution
transparency-closed = institutionen er lukket
transparency-none = Ingen tjenester har en aktiv aftale om dataadgang her.
transparency-count = { $count ->
        [one] { $count } aktiv aftale
       *[other] { $count } aktive aftaler
    }
column-service = Tjeneste
column-supplier = Leverandør
column-data = Data
column-since = Siden
level-daginstitution = Daginstitution (klynge)
level-anvisningsenhed = Anvisningsenhed
level-skole = Skole
