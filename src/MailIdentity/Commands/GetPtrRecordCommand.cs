using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using MailIdentity.Commands.Infrastructure;
using MailIdentity.Dns;
using MailIdentity.Text;

namespace MailIdentity.Commands;

/// <summary>
/// <para type="synopsis">Looks up the PTR (reverse DNS) records of IP addresses.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "PtrRecord")]
[OutputType(typeof(PtrLookupResult))]
public sealed class GetPtrRecordCommand : DnsCmdletBase
{
    /// <summary>The IPv4 or IPv6 addresses to look up.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IP", "Address", "SendingIP", "SourceIP", "ClientIP", "IPv4", "IPv6", "IPv4Address", "IPv6Address", "Sending IP", "IP Address")]
    [AllowEmptyString]
    [AllowNull]
    public AddressArgument?[]? IPAddress { get; set; }

    protected override string ProgressActivity => "Get-PtrRecord";

    protected override void ProcessRecord()
    {
        if (IPAddress is null)
        {
            SubmitCompleted(NoTargetInInput("an IPAddress (or IP, Address, SendingIP)"));
            return;
        }

        foreach (var argument in IPAddress)
        {
            var input = argument?.Text;
            if (!IPAddressText.TryParse(input, out var address))
            {
                SubmitCompleted(Errors.NotAnIPAddress(input));
                continue;
            }

            var lookup = new PtrLookup(Resolver);
            Submit(input!, async token =>
            {
                var result = await lookup.LookupAsync(address!, token).ConfigureAwait(false);
                QueueVerbose($"PTR {result.ReverseName}: {result.Status} {string.Join(", ", result.Hostnames)} ({result.Server}, {result.Duration.TotalMilliseconds:0} ms)");
                var outputs = new List<object> { result };
                if (result.IsTemporaryFailure)
                {
                    outputs.Add(Errors.DnsFailure(result.Answer, input));
                }

                return outputs;
            });
        }
    }
}
