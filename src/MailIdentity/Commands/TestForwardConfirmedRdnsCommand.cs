using System.Collections.Generic;
using System.Management.Automation;
using MailIdentity.Commands.Infrastructure;
using MailIdentity.Dns;
using MailIdentity.Text;

namespace MailIdentity.Commands;

/// <summary>
/// <para type="synopsis">Checks forward-confirmed reverse DNS: PTR, then A/AAAA, back to the IP.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ForwardConfirmedRdns", DefaultParameterSetName = DetailSet)]
[OutputType(typeof(ForwardConfirmationResult), ParameterSetName = new[] { DetailSet })]
[OutputType(typeof(bool), ParameterSetName = new[] { QuietSet })]
public sealed class TestForwardConfirmedRdnsCommand : DnsCmdletBase
{
    private const string DetailSet = "Detail";
    private const string QuietSet = "Quiet";

    /// <summary>The IPv4 or IPv6 addresses to check.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("IP", "Address", "SendingIP", "SourceIP", "ClientIP", "IPv4", "IPv6", "IPv4Address", "IPv6Address", "Sending IP", "IP Address")]
    [AllowEmptyString]
    [AllowNull]
    public AddressArgument?[]? IPAddress { get; set; }

    /// <summary>Return only True (confirmed) or False per address.</summary>
    [Parameter(Mandatory = true, ParameterSetName = QuietSet)]
    public SwitchParameter Quiet { get; set; }

    protected override string ProgressActivity => "Test-ForwardConfirmedRdns";

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

            var check = new ForwardConfirmation(Resolver);
            var quiet = Quiet.IsPresent;
            Submit(input!, async token =>
            {
                var result = await check.CheckAsync(address!, token).ConfigureAwait(false);
                QueueVerbose($"FCrDNS {result.IPAddress}: {result.Status} - {DisplayText.Escape(result.Reason)}");
                var outputs = new List<object> { quiet ? result.Confirmed : result };
                if (result.Status == ForwardConfirmationStatus.Inconclusive && !quiet)
                {
                    var failed = result.Ptr.IsTemporaryFailure ? result.Ptr.Answer : FirstFailed(result);
                    outputs.Add(Errors.DnsFailure(failed, input));
                }

                return outputs;
            });
        }
    }

    private static DnsAnswer FirstFailed(ForwardConfirmationResult result)
    {
        foreach (var name in result.Names)
        {
            if (name.Status.IsTemporaryFailure())
            {
                return name.Answer;
            }
        }

        return result.Ptr.Answer;
    }
}
