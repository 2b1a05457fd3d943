# The operators' pages: people and their roles, requests without an approver, the mail queue and agreements on A-numbers.

## People
users-new = Create a person
users-search-label = Search by e-mail or name
users-search = Search
users-none = No people match the search.
users-count = { $count ->
        [one] { $count } person
       *[other] { $count } people
    }
column-email = E-mail
column-name = Name
column-roles = Roles
users-no-roles = none
user-status-active = Active
user-status-closed = Closed

## One person
user-all-people = All people
user-password = Password
user-password-set = Chosen
user-password-none = None
user-totp = Two-step verification
user-totp-on = On
user-totp-off = Off
user-subjects = User ID at the sign-in service
user-subjects-none = None yet
user-roles-heading = Roles
user-no-roles = The person has no roles and cannot use the portal.
user-remove-role = Remove
user-give-role-heading = Give a role
user-give-role = Give the role
user-roles-hint = When roles change, the person is signed out and gets the new rights at their next sign-in.
user-provider-heading = Sign-in through the sign-in service
user-subject-label = User ID (subject) at the sign-in service
user-subject-register = Register user ID
user-account-heading = Account
user-invite = Send invitation
user-disable = Close the account
user-enable = Reopen the account
user-not-changed = Nothing was saved. What you typed has been kept.
# What a role covers.
covers-supplier = { $name } (CVR { $cvr })
covers-institution = { $number } { $name }
covers-unknown = { $id } (no longer exists)

## The role fields and the new-person form
role-field = Role
role-field-choose = Choose a role
role-scope = Applies to
role-scope-hint = The supplier's CVR number, a municipality code (such as 101) or an institution number. Leave empty for an operator, and for an auditor of the whole portal.
user-new-not-created = The person has not been created. Correct what is marked below; everything you typed has been kept.
user-new-invite = Send an invitation with a link to choose a password
user-new-provider-hint = Staff who sign in through MitID Erhverv or Unilogin need no invitation: they are found at their first sign-in by their confirmed e-mail address, or by the user ID you register on the person.
user-new-create = Create

## What is wrong with a person or a role
scope-problem-no-role = Choose a role.
scope-problem-unknown-supplier = Enter the supplier's CVR number (the supplier must already be registered).
scope-problem-unknown-municipality = No municipality has that code. Enter one of the 98 three-digit municipality codes, such as 101 for København.
scope-problem-closed = { $number } is closed.
scope-problem-not-in-register = { $number } is not in the institution register.
person-problem-bad-email = Enter a valid e-mail address.
person-problem-no-name = Enter the person's name.
person-problem-email-taken = { $email } already exists.
user-yourself = You cannot change your own roles, user ID or account. Ask another operator to do it.
user-choose-status = Choose close or reopen.
user-last-operator = This is the last active operator. Give someone else the role first.
user-subject-missing = Enter the user ID from the sign-in service.
user-subject-taken = That user ID already belongs to another person, or the person already has one.

## Requests without an approver
unattended-heading = Requests without an approver
unattended-intro = Pending requests that nobody can decide, because the institution has no registered approver: neither its own staff nor – for a municipal institution – the municipality's daycare officers. Give a member of the institution's staff the role { $role }, and the requests can be decided.
unattended-none = There are no pending requests without an approver.
unattended-waiting = { $count ->
        [one] { $total } request is waiting without an approver
       *[other] { $total } requests are waiting without an approver
    }
unattended-first-shown = – the first { $count } are shown
unattended-filed = filed { $when }
unattended-email = E-mail of the person who is to approve for { $number }
unattended-assign = Give the role { $role }
unattended-email-missing = Enter the e-mail address of the person who is to approve for { $number }.
unattended-no-such-person = No active person has the e-mail address «{ $email }». Create the person with the role { $role } for { $number }.
unattended-create-person = Create the person
unattended-yourself = You cannot change your own roles. Ask another operator to do it.

## The mail queue
mail-by-status = Messages by status
mail-none-sent = No mail has been sent yet.
mail-undeliverable-heading = Undeliverable
mail-none-waiting = No mail is waiting for an operator.
mail-undeliverable-count = { $count ->
        [one] { $count } message that could not be delivered
       *[other] { $count } messages that could not be delivered
    }
column-created = Created
column-recipient = Recipient
column-subject = Subject
column-attempts = Attempts
column-last-error = Last error
column-action = Action
mail-retry = Try again
mail-retry-for = for { $recipient }
mail-status-pending = Queued
mail-status-held = Waiting for the daily summary
mail-status-sent = Sent
mail-status-digested = Sent in a daily summary
mail-status-undeliverable = Undeliverable

## Agreements on A-numbers
a-numbers-heading = Agreements on A-numbers
a-numbers-intro = A-numbers are being phased out. These are all the agreements that still stand on an A-number, by municipality. Whoever approves for the institution can move an agreement to the G-number from the agreement's page.
a-numbers-none = No agreements stand on A-numbers.
a-numbers-total = { $count ->
        [one] { $count } agreement in all.
       *[other] { $count } agreements in all.
    }
a-numbers-group = { $name } ({ $code }) – { $count ->
        [one] { $count } agreement
       *[other] { $count } agreements
    }
column-agreement = Agreement
column-a-number = A-number
column-replaced-by = Replaced by
a-numbers-successor-unknown = unknown
