# The frame of every page: header, menu, footer, the language switch.
site-name = Tilslutning
skip-to-content = Spring til indhold
signed-in-as = Logget ind som
sign-out = Log ud
main-menu = Hovedmenu
footer-about = Tilslutning – aftaler om dataadgang for skoler og dagtilbud.
footer-transparency = Hvem har adgang til data?
language-switch = Sprog
# The switch names the other language in that language.
language-other = English
language-other-code = en

nav-home = Forside
nav-new-request = Ny anmodning
nav-inbox = Indbakke
nav-requests = Anmodninger
nav-agreements = Aftaler
nav-institutions = Institutioner
nav-delegations = Fuldmagter
nav-audit = Revisionslog
nav-register-import = Import
nav-a-numbers = A-numre
nav-mail = Post
nav-people = Personer
nav-unattended = Uden godkender
nav-api-tokens = API-nøgler
nav-profile = Profil

role-supplier_admin = Leverandøradministrator
role-supplier_user = Leverandørbruger
role-municipal_officer = Kommunal dagtilbudsansvarlig
role-institution_staff = Institutionsmedarbejder
role-operator = Driftsoperatør
role-auditor = Revisor
