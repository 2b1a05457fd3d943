# Code lists: the states of requests and agreements.
status-unknown = Unknown
request-status-pending = Pending
request-status-approved = Approved
request-status-rejected = Rejected
request-status-withdrawn = Withdrawn
request-status-lapsed = Lapsed
agreement-status-active = Active
agreement-status-suspended = Suspended
agreement-status-revoked = Revoked
agreement-status-terminated = Terminated
agreement-status-ended = Ended

# The register's code lists: code-<list>-<code>, and the words for a code the list does not know.
code-ownership-1 = Municipal
code-ownership-2 = Self-governing
code-ownership-3 = Private
code-ownership-4 = Contracted out
code-ownership-unknown = { $code } – ownership not in the code list
code-insttype-101 = Nursery
code-insttype-102 = Kindergarten
code-insttype-103 = Age-integrated institution
code-insttype-104 = After-school centre
code-insttype-105 = Youth club
code-insttype-106 = Childminding (area)
code-insttype-107 = Daycare institution (cluster)
code-insttype-1012 = Public school
code-insttype-1015 = Independent or private school
code-insttype-unknown = { $code } – institution type not in the code list
code-legal-DTL19-2 = Day Care Act § 19(2) (municipal)
code-legal-DTL19-3 = Day Care Act § 19(3) (self-governing)
code-legal-DTL19-4 = Day Care Act § 19(4) (contracted out)
code-legal-DTL19-5 = Day Care Act § 19(5) (private)
code-legal-FSL = Public Schools Act
code-legal-FRL = Independent Schools Act
code-legal-unknown = { $code } – legal basis not in the code list
