## Escalation of requests left waiting (mail)
mail-escalated-subject = { $count ->
        [one] { $shown } request has waited too long for a decision
       *[other] { $shown } requests have waited too long for a decision
    }
mail-escalated-heading = Requests waiting too long
mail-escalated-intro = { $count ->
        [one] This request has
       *[other] These requests have
    } waited more than { $days ->
        [one] { $days } day
       *[other] { $days } days
    } for a decision. The municipality is told so they are not overlooked:
mail-escalated-outro = Decide the requests in Tilslutning, or make sure the institution has an approver who can.
mail-escalated-operators-subject = { $count ->
        [one] Escalation: { $shown } request is still waiting
       *[other] Escalation: { $shown } requests are still waiting
    }
mail-escalated-operators-heading = Requests escalated to the operators
mail-escalated-operators-intro = { $count ->
        [one] This request has
       *[other] These requests have
    } waited more than { $days ->
        [one] { $days } day
       *[other] { $days } days
    } for a decision, even after the municipality was told:
mail-escalated-operators-outro = Contact the institution or the municipality, and check that someone has the right to decide.

## Escalation on the request's history
history-escalated-to-mailbox = Sent to the municipality's shared mailbox
history-escalated-to-officers = Sent to the municipality's daycare officers (the municipality has no shared mailbox for reminders)
history-escalated-to-operators = Sent to the operators

## The shared mailboxes page
nav-mailboxes = Shared mailboxes
nav-approvers = Approvers
mailboxes-intro = A shared mailbox – for instance one that feeds a ticket system – gets the same notifications as the institution's or municipality's approvers. It never gets a daily digest: each notification is sent at once, and a request for many institutions is one mail.
mailboxes-add-heading = Add a shared mailbox
mailboxes-owner = Mailbox for
mailboxes-owner-institution = The institution { $name }
mailboxes-owner-municipality = { $name } (the whole municipality)
mailboxes-email = Email address
mailboxes-email-hint = For example daycare-cases@municipality.dk
mailboxes-label = Label (optional)
mailboxes-label-hint = So you recognise it, for example "Ticket system".
mailboxes-language = Language of its mail
mailboxes-kinds = Notifications the mailbox receives
mailboxes-add = Add mailbox
mailboxes-registered = Registered mailboxes
mailboxes-none = There are no shared mailboxes yet.
mailboxes-remove = Remove
mailbox-language-da = Danish
mailbox-language-en = English
mailbox-kind-new_requests = New requests
mailbox-kind-new_requests-hint = when a supplier asks for data access
mailbox-kind-reminders = Reminders and escalations
mailbox-kind-reminders-hint = when requests have waited long for a decision
mailbox-kind-outcomes = Withdrawn requests and ended agreements
mailbox-kind-outcomes-hint = when a request is withdrawn or lapses, or an agreement ends, is revoked, terminated or moved
mailbox-bad-address = Enter a valid email address, for example daycare-cases@municipality.dk.
mailbox-label-too-long = The label may be at most { $max } characters.
mailbox-no-kinds = Choose at least one kind of notification for the mailbox.
mailbox-bad-language = Choose Danish or English.
mailbox-no-owner = Choose whom the mailbox is for.
mailbox-already-registered = { $email } is already registered as a shared mailbox here.
notice-mailbox-added = The mailbox has been added.
notice-mailbox-removed = The mailbox has been removed.
token-permission-mailboxes = Add and remove shared mailboxes

## Who holds approver rights
approvers-title = Who can approve
approvers-intro = For each institution you cover: who has the right to decide requests and revoke agreements – the institution's own approvers, the municipality's daycare officers for kommunale institutions, and delegations in force today.
approvers-municipality-heading = Daycare officers in { $municipality }
approvers-no-officers = The municipality has no daycare officers in Tilslutning.
approvers-colleague-delegations = Delegations to colleagues
approvers-delegation-colleague = { $to } decides for the municipality under a delegation from { $by } ({ $period })
approvers-delegation-institution = Delegation from { $by } to the municipality ({ $period })
approvers-institutions = Institutions
approvers-column-ownership = Ownership
approvers-column-staff = The institution's approvers
approvers-column-municipality = The municipality
approvers-officers-decide = The daycare officers of { $municipality } decide
approvers-municipality-does-not-decide = The municipality does not decide
approvers-no-staff = None
approvers-nobody = Nobody can decide here yet.
