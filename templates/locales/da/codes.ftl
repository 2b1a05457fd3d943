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
