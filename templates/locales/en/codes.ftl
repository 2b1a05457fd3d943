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
