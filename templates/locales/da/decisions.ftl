# Decisions scope by scope: the reason for each scope left out of an approval, an
# extension shown as what the agreement has and what is added, and the inbox's age,
# scopes and select-all per klynge.
decision-no-refusal-reason = Skriv en begrundelse for hver dataadgang, du ikke godkender; leverandøren får den at se.
decision-refusal-reason-label = Begrundelse, hvis «{ $scope }» ikke godkendes
decision-refusal-reason-hint = Kun nødvendig, hvis du fjerner fluebenet.
decision-refusal-reason-missing = Skriv, hvorfor denne dataadgang ikke godkendes.
detail-refusal-reason = Begrundelse: { $reason }
history-refusal-reason = { $scope } ikke godkendt: { $reason }
mail-line-refused-scope = Ikke godkendt: { $scope } – begrundelse: { $reason }
audit-detail-refusal_reasons = Begrundelser for dataadgange, der ikke blev godkendt
api-error-refusal-reason-required = En dataadgang, der ikke godkendes, skal have en begrundelse under refusal_reasons.
extension-heading = Udvidelse af aftale { $reference }
extension-intro = Leverandøren har allerede en aftale med institutionen og beder om flere dataadgange.
extension-have = Har i forvejen
extension-added = Tilføjes
extension-have-none = Ingen
extension-agreement-link = Se aftalen { $reference }
mail-line-extension-have = Har i forvejen (aftale { $reference }): { $scopes }
mail-line-extension-added = Tilføjes: { $scopes }
inbox-age = { $days ->
    [0] i dag
    [one] { $days } dag
   *[other] { $days } dage
}
column-age = Ventet
inbox-select-klynge = Vælg alle i { $klynge }
inbox-select-no-klynge = Vælg alle uden klynge
inbox-scopes-none = Ingen
