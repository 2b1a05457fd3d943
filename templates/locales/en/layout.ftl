# The frame of every page: header, menu, footer, the language switch.
site-name = Tilslutning
skip-to-content = Skip to content
signed-in-as = Signed in as
sign-out = Sign out
main-menu = Main menu
footer-about = Tilslutning – data-access agreements for schools and daycare.
footer-transparency = Who has access to data?
language-switch = Language
# The switch names the other language in that language.
language-other = Dansk
language-other-code = da

nav-home = Home
nav-new-request = New request
nav-inbox = Inbox
nav-requests = Requests
nav-agreements = Agreements
nav-institutions = Institutions
nav-delegations = Delegations
nav-audit = Audit log
nav-register-import = Import
nav-a-numbers = A-numbers
nav-mail = Mail
nav-people = People
nav-unattended = Without approver
nav-api-tokens = API keys
nav-profile = Profile

role-supplier_admin = Supplier administrator
role-supplier_user = Supplier user
role-municipal_officer = Municipal daycare officer
role-institution_staff = Institution staff
role-operator = Operator
role-auditor = Auditor
