using System.Linq;
using System.Management.Automation;
using MailIdentity.Rules;

namespace MailIdentity.Commands;

/// <summary>
/// <para type="synopsis">Lists the alignment rules Test-MailIdentity applies.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "MailIdentityRule")]
[OutputType(typeof(AlignmentRule))]
public sealed class GetMailIdentityRuleCommand : PSCmdlet
{
    /// <summary>Rule ids or names; wildcards allowed. Default: all rules.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RuleId", "Name")]
    [ArgumentCompleter(typeof(RuleIdCompleter))]
    [SupportsWildcards]
    public string[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        if (Id is null || Id.Length == 0)
        {
            WriteObject(RuleCatalog.All, enumerateCollection: true);
            return;
        }

        foreach (var pattern in Id)
        {
            var wildcard = WildcardPattern.Get(pattern ?? string.Empty, WildcardOptions.IgnoreCase);
            var matches = RuleCatalog.All.Where(r => wildcard.IsMatch(r.Id) || wildcard.IsMatch(r.Name)).ToArray();
            if (matches.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No rule has the id or name '{pattern}'. Run Get-MailIdentityRule to list them."),
                    "RuleNotFound", ErrorCategory.ObjectNotFound, pattern));
            }

            WriteObject(matches, enumerateCollection: true);
        }
    }
}
