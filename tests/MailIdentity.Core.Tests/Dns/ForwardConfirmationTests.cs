#pragma warning disable CA1861 // Expected values read best inline in a test.

using System;
using System.Net;
using System.Threading.Tasks;
using MailIdentity.Dns;
using Xunit;

namespace MailIdentity.Core.Tests.Dns;

public sealed class ForwardConfirmationTests
{
    // The lab's scenarios in miniature (shared/cases/scenarios.md): one address per case.
    private static readonly string[] Zone =
    {
        // C01 aligned.
        "1.1.0.127.in-addr.arpa PTR mail.c01.test",
        "mail.c01.test A 127.0.1.1",
        // C04 PTR name no longer exists.
        "4.1.0.127.in-addr.arpa PTR old-name.c04.test",
        "new-name.c04.test A 127.0.1.4",
        // C05 PTR name points elsewhere.
        "5.1.0.127.in-addr.arpa PTR mail.c05.test",
        "mail.c05.test A 127.0.9.5",
        // C06 two PTR names: a does not point back, b does.
        "6.1.0.127.in-addr.arpa PTR mail.c06a.test",
        "6.1.0.127.in-addr.arpa PTR mail.c06b.test",
        "mail.c06a.test A 127.0.9.6",
        "mail.c06b.test A 127.0.1.6",
        // Two PTR names, neither points back (a is broken by the faults below in some tests).
        "7.1.0.127.in-addr.arpa PTR mail.c07a.test",
        "7.1.0.127.in-addr.arpa PTR mail.c07b.test",
        "mail.c07a.test A 127.0.9.7",
        "mail.c07b.test A 127.0.9.8",
        // Forward name reached through a CNAME.
        "8.1.0.127.in-addr.arpa PTR alias.c08.test",
        "alias.c08.test CNAME host.c08.test",
        "host.c08.test A 127.0.1.8",
        // Name with no A record (NODATA).
        "9.1.0.127.in-addr.arpa PTR nodata.c09.test",
        "nodata.c09.test AAAA ::1",
        // IPv6.
        "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa PTR mail6.c10.test",
        "mail6.c10.test AAAA 2001:db8::25",
        "mail6.c10.test A 127.0.1.10",
    };

    private static async Task<ForwardConfirmationResult> CheckAsync(string address, params string[] faults)
    {
        await using var server = await FaultServer.StartAsync(Zone, faults);
        var check = new ForwardConfirmation(FaultServer.Resolver(server, FaultServer.TimeoutFor(faults)));
        return await check.CheckAsync(IPAddress.Parse(address), FaultServer.Guard());
    }

    [Fact]
    public async Task Ptr_name_that_resolves_back_is_confirmed()
    {
        var result = await CheckAsync("127.0.1.1");

        Assert.Equal(ForwardConfirmationStatus.Confirmed, result.Status);
        Assert.True(result.Confirmed);
        Assert.Equal(new[] { "mail.c01.test" }, result.ConfirmedNames);
        Assert.Equal("mail.c01.test resolves back to 127.0.1.1.", result.Reason);
    }

    [Fact]
    public async Task Ptr_name_that_does_not_exist_is_not_confirmed()
    {
        var result = await CheckAsync("127.0.1.4");

        Assert.Equal(ForwardConfirmationStatus.NotConfirmed, result.Status);
        Assert.Contains("old-name.c04.test does not exist (NXDOMAIN)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ptr_name_that_points_elsewhere_is_not_confirmed_and_names_both_addresses()
    {
        var result = await CheckAsync("127.0.1.5");

        Assert.Equal(ForwardConfirmationStatus.NotConfirmed, result.Status);
        Assert.Contains("127.0.9.5", result.Reason, StringComparison.Ordinal);
        Assert.Contains("127.0.1.5", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_of_two_names_pointing_back_is_enough()
    {
        var result = await CheckAsync("127.0.1.6");

        Assert.Equal(ForwardConfirmationStatus.Confirmed, result.Status);
        Assert.Equal(new[] { "mail.c06b.test" }, result.ConfirmedNames);
        Assert.Equal(2, result.Names.Count);
    }

    [Fact]
    public async Task Forward_name_behind_a_cname_is_confirmed_with_the_hop_shown()
    {
        var result = await CheckAsync("127.0.1.8", "alias.c08.test=cname-only");

        Assert.Equal(ForwardConfirmationStatus.Confirmed, result.Status);
        Assert.Equal(new[] { "host.c08.test" }, result.Names[0].CnameChain);
    }

    [Fact]
    public async Task Name_without_an_a_record_is_not_confirmed()
    {
        var result = await CheckAsync("127.0.1.9");

        Assert.Equal(ForwardConfirmationStatus.NotConfirmed, result.Status);
        Assert.Contains("has no A record", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ipv6_address_is_confirmed_through_aaaa()
    {
        var result = await CheckAsync("2001:db8::25");

        Assert.Equal(ForwardConfirmationStatus.Confirmed, result.Status);
        Assert.Equal(new[] { "2001:db8::25" }, result.Names[0].Addresses);
    }

    [Fact]
    public async Task Ipv4_mapped_address_is_confirmed_as_ipv4()
    {
        var result = await CheckAsync("::ffff:127.0.1.1");

        Assert.Equal(ForwardConfirmationStatus.Confirmed, result.Status);
        Assert.Equal(IPAddress.Parse("127.0.1.1"), result.IPAddress);
    }

    [Fact]
    public async Task Missing_ptr_is_no_ptr()
    {
        var result = await CheckAsync("127.0.1.99");

        Assert.Equal(ForwardConfirmationStatus.NoPtr, result.Status);
        Assert.Contains("NXDOMAIN", result.Reason, StringComparison.Ordinal);
        Assert.Empty(result.Names);
    }

    [Theory]
    [InlineData("servfail")]
    [InlineData("refused")]
    [InlineData("drop")]
    [InlineData("malformed")]
    [InlineData("garbage")]
    [InlineData("wrong-id")]
    [InlineData("cname-loop")]
    public async Task Failed_ptr_lookup_is_inconclusive(string fault)
    {
        var result = await CheckAsync("127.0.1.1", $"1.1.0.127.in-addr.arpa={fault}");

        Assert.Equal(ForwardConfirmationStatus.Inconclusive, result.Status);
        Assert.False(result.Confirmed);
        Assert.Contains("failed temporarily", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("servfail")]
    [InlineData("refused")]
    [InlineData("drop")]
    [InlineData("malformed")]
    [InlineData("garbage")]
    [InlineData("wrong-id")]
    [InlineData("cname-loop")]
    public async Task Failed_forward_lookup_with_no_confirming_name_is_inconclusive_never_not_confirmed(string fault)
    {
        // mail.c07b.test answers (wrong address); mail.c07a.test fails: it might have pointed back.
        var result = await CheckAsync("127.0.1.7", $"mail.c07a.test={fault}");

        Assert.Equal(ForwardConfirmationStatus.Inconclusive, result.Status);
        Assert.Contains("mail.c07a.test", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("mail.c07b.test", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_forward_lookup_does_not_hide_a_name_that_confirms()
    {
        var result = await CheckAsync("127.0.1.6", "mail.c06a.test=drop");

        Assert.Equal(ForwardConfirmationStatus.Confirmed, result.Status);
        Assert.Equal(new[] { "mail.c06b.test" }, result.ConfirmedNames);
    }

    [Fact]
    public async Task Truncated_forward_answer_is_confirmed_over_tcp()
    {
        var result = await CheckAsync("127.0.1.1", "mail.c01.test=large");

        Assert.Equal(ForwardConfirmationStatus.Confirmed, result.Status);
        Assert.True(result.Names[0].Addresses.Count > 20);
    }

    [Fact]
    public async Task Whole_check_against_a_silent_server_ends_within_both_timeouts()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await CheckAsync("127.0.1.1", "*=drop");

        Assert.Equal(ForwardConfirmationStatus.Inconclusive, result.Status);
        Assert.Equal(DnsLookupStatus.Timeout, result.Ptr.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1) + FaultServer.Margin, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Cancellation_of_a_whole_check_is_prompt()
    {
        await using var server = await FaultServer.StartAsync(Zone, "mail.c07a.test=drop", "mail.c07b.test=drop");
        var check = new ForwardConfirmation(FaultServer.Resolver(server, TimeSpan.FromSeconds(20), retries: 3));
        using var cancel = new System.Threading.CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check.CheckAsync(IPAddress.Parse("127.0.1.7"), cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }
}
