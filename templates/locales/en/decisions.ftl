# Decisions scope by scope: the reason for each scope left out of an approval, an
# extension shown as what the agreement has and what is added, and the inbox's age,
# scopes and select-all per klynge.
decision-no-refusal-reason = Write a reason for each data scope you do not approve; the supplier is shown it.
decision-refusal-reason-label = Reason, if “{ $scope }” is not approved
decision-refusal-reason-hint = Only needed if you untick it.
decision-refusal-reason-missing = Write why this data scope is not approved.
detail-refusal-reason = Reason: { $reason }
history-refusal-reason = { $scope } not approved: { $reason }
mail-line-refused-scope = Not approved: { $scope } – reason: { $reason }
audit-detail-refusal_reasons = Reasons for data scopes not approved
api-error-refusal-reason-required = A data scope that is not approved needs a reason under refusal_reasons.
extension-heading = Extension of agreement { $reference }
extension-intro = The supplier already has an agreement with the institution and asks for more data scopes.
extension-have = Already has
extension-added = Added
extension-have-none = None
extension-agreement-link = See agreement { $reference }
mail-line-extension-have = Already has (agreement { $reference }): { $scopes }
mail-line-extension-added = Added: { $scopes }
inbox-age = { $days ->
    [0] today
    [one] { $days } day
   *[other] { $days } days
}
column-age = Waiting
inbox-select-klynge = Select all in { $klynge }
inbox-select-no-klynge = Select all without a klynge
inbox-scopes-none = None
