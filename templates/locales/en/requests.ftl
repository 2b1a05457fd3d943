# Lists of requests, the inbox and bulk decisions.
pager-label = Pages
pager-first = First page
pager-next = Next page
table-on-this-page = on this page
table-more = there are more
filter-show = Show
filter-all = All
filter-institution-number = Institution number
column-choose = Choose
choose-row = Choose { $reference }
column-reference = Reference
column-institution = Institution
column-scopes = Data scopes
column-status = Status
column-filed = Filed
scope-sensitive = sensitive
request-extension = Extension
request-klynge = Cluster { $number }
requests-count = { $count ->
        [one] { $count } request
       *[other] { $count } requests
    }
requests-filter-label = Filter requests
requests-show-all = Show all requests, not only the ones just sent
requests-no-approver = { $count ->
        [one] { $count } institution has nobody yet who can decide the request:
       *[other] { $count } institutions have nobody yet who can decide the request:
    }
requests-no-approver-why = The requests have been sent and are waiting, but nobody in Tilslutning can decide them yet: the institution has no registered approver – neither its own staff nor, for a municipal institution, the municipality's daycare officers. The institution (or the municipality) has been told that an approver must be registered with Tilslutning's operators, and the operators have the requests on their list. You can speed this up by contacting the institution yourself.
requests-none = No requests match.
inbox-intro = Pending requests for all the institutions you can decide for.
inbox-decided = { $count ->
        [one] { $count } request decided.
       *[other] { $count } requests decided.
    }
inbox-skipped = { $count ->
        [one] { $count } was skipped because it had already been decided or is not yours to decide.
       *[other] { $count } were skipped because they had already been decided or are not yours to decide.
    }
inbox-sensitive-left = { $count ->
        [one] { $count } request with sensitive data scopes was not approved and is still pending
       *[other] { $count } requests with sensitive data scopes were not approved and are still pending
    }
inbox-sensitive-left-why = , because the sensitive data scopes were not confirmed. Decide them one at a time, or confirm them in the list below.
inbox-filter-label = Filter the inbox
inbox-filter-institution = Institution or cluster number
inbox-empty = No requests are waiting for you.
inbox-decide-legend = Decide the chosen requests
inbox-all-matching = All pending requests matching the filter – not only the ones chosen on this page (at most 10,000 at a time)
inbox-sensitive-legend = Sensitive data scopes – confirm each request on its own
inbox-sensitive-hint = A bulk approval grants sensitive data scopes (such as CPR numbers and household income) only to the requests you tick here. Without a tick the request stays pending, so you can decide it on its own. Requests on other pages are never approved with sensitive data scopes in a bulk approval.
inbox-confirm-also = Also approve
inbox-confirm-in = in
inbox-reason = Reason or comment (required to reject)
inbox-reason-hint = The supplier sees the text – with an approval, as a comment in the receipt.
inbox-approve = Approve chosen (all data scopes)
inbox-reject = Reject chosen
filter-unknown-status = Unknown status; show all or choose one from the list.
inbox-klynge = Cluster { $number } { $name }
inbox-no-klynge = Without a cluster (schools, childminding, clubs)
inbox-none-chosen = Choose at least one request, or choose all that match the filter.
rerequest-service-gone = The service no longer exists; the request cannot be sent again.
confirm-bulk-approve-heading = { $count ->
        [one] Approve { $count } request?
       *[other] Approve { $count } requests?
    }
confirm-bulk-reject-heading = { $count ->
        [one] Reject { $count } request?
       *[other] Reject { $count } requests?
    }
confirm-bulk-approve-all-heading = Approve all that match the filter?
confirm-bulk-reject-all-heading = Reject all that match the filter?
confirm-bulk-approve-chosen = { $count ->
        [one] The chosen request is approved with all its data access; the supplier gets access at once and is told by mail. Sensitive data access is approved only where you confirmed it.
       *[other] The { $count } chosen requests are approved with all their data access; the suppliers get access at once and are told by mail. Sensitive data access is approved only where you confirmed it.
    }
confirm-bulk-reject-chosen = { $count ->
        [one] The chosen request is rejected, and the supplier is told by mail, with your reason.
       *[other] The { $count } chosen requests are rejected, and the suppliers are told by mail, with your reason.
    }
confirm-bulk-approve-all = Every pending request you can decide { $filter } is approved with all its data access – at most { $limit } at a time. The suppliers get access at once and are told by mail. Requests with sensitive data access you have not confirmed keep waiting.
confirm-bulk-reject-all = Every pending request you can decide { $filter } is rejected – at most { $limit } at a time. The suppliers are told by mail, with your reason.
confirm-bulk-filter = under { $filter }
confirm-bulk-no-filter = in your whole inbox
confirm-bulk-approve-button = Yes, approve
confirm-bulk-reject-button = Yes, reject
