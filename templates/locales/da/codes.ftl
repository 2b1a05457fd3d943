# Code lists: the states of requests and agreements.
status-unknown = Ukendt
request-status-pending = Afventer
request-status-approved = Godkendt
request-status-rejected = Afvist
request-status-withdrawn = Trukket tilbage
request-status-lapsed = Bortfaldet
agreement-status-active = Aktiv
agreement-status-suspended = Sat i bero
agreement-status-revoked = Tilbagekaldt
agreement-status-terminated = Opsagt
agreement-status-ended = Udløbet

# The register's code lists: code-<list>-<code>, and the words for a code the list does not know.
code-ownership-1 = Kommunal
code-ownership-2 = Selvejende
code-ownership-3 = Privat
code-ownership-4 = Udliciteret
code-ownership-unknown = { $code } – ejerform uden for kodelisten
code-insttype-101 = Vuggestue
code-insttype-102 = Børnehave
code-insttype-103 = Aldersintegreret institution
code-insttype-104 = Fritidshjem
code-insttype-105 = Fritidsklub
code-insttype-106 = Dagpleje (område)
code-insttype-107 = Daginstitution (klynge)
code-insttype-1012 = Folkeskole
code-insttype-1015 = Friskole eller privat grundskole
code-insttype-unknown = { $code } – institutionstype uden for kodelisten
code-legal-DTL19-2 = Dagtilbudsloven § 19, stk. 2 (kommunal)
code-legal-DTL19-3 = Dagtilbudsloven § 19, stk. 3 (selvejende)
code-legal-DTL19-4 = Dagtilbudsloven § 19, stk. 4 (udliciteret)
code-legal-DTL19-5 = Dagtilbudsloven § 19, stk. 5 (privat)
code-legal-FSL = Folkeskoleloven
code-legal-FRL = Friskoleloven
code-legal-unknown = { $code } – lovgrundlag uden for kodelisten
