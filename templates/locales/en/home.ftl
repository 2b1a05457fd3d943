# The start page of every role.
count-more-than = more than { $shown }
home-welcome = Welcome
home-welcome-name = Welcome, { $name }
home-no-role-heading = You have no access yet
home-no-role = Your user is not linked to a supplier, a municipality or an institution. Contact your municipality's administrator or the portal's support to be given a role.
home-your-roles = Your roles:
home-scope-municipality = { $name } ({ $code })
home-scope-everything = the whole portal
home-awaiting-heading = Awaiting your decision
home-awaiting-after = { $count ->
        [one] request you can approve or reject – across all your institutions.
       *[other] requests you can approve or reject – across all your institutions.
    }
home-go-to-inbox = Go to the inbox
home-new-request = Request data access for one of your services – to one or many institutions at once.
home-new-request-button = Create a request
home-pending-after = { $count ->
        [one] pending request you can see.
       *[other] pending requests you can see.
    }
home-all-requests = All requests
home-only-pending = Pending only
home-agreements-after = { $count ->
        [one] active data-access agreement.
       *[other] active data-access agreements.
    }
home-all-agreements = All agreements
home-register-heading = Institution register
home-register = Search schools and daycare by name or institution number.
home-register-link = Search institutions
home-overview-heading = Overview
home-overview = You can read every request and agreement within your area.
