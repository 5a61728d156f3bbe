#pragma warning disable CA1861 // Expected values read best inline in a test.

using System;
using System.Net;
using System.Threading.Tasks;
using MailIdentity.Dns;
using Xunit;

namespace MailIdentity.Core.Tests.Dns;

public sealed class PtrLookupTests
{
    private static readonly string[] Zone =
    {
        "10.0.0.127.in-addr.arpa PTR MAIL.Example.TEST.",
        "11.0.0.127.in-addr.arpa PTR b.example.test",
        "11.0.0.127.in-addr.arpa PTR a.example.test",
        "11.0.0.127.in-addr.arpa PTR A.example.test.",
        // RFC 2317 classless delegation: the PTR lives under 0/26.
        "12.0.0.127.in-addr.arpa CNAME 12.0/26.0.0.127.in-addr.arpa",
        "12.0/26.0.0.127.in-addr.arpa PTR classless.example.test",
        "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa PTR mail6.example.test",
        // A name that exists in the reverse tree, but holds no PTR.
        "13.0.0.127.in-addr.arpa A 127.0.0.13",
    };

    private static async Task<(PtrLookupResult Result, int Queries)> LookupAsync(string address, params string[] faults)
    {
        await using var server = await FaultServer.StartAsync(Zone, faults);
        var lookup = new PtrLookup(FaultServer.Resolver(server, FaultServer.TimeoutFor(faults)));
        var result = await lookup.LookupAsync(IPAddress.Parse(address), FaultServer.Guard());
        return (result, server.QueryCount);
    }

    [Fact]
    public async Task Ptr_name_comes_back_lower_case_without_the_trailing_dot()
    {
        var (result, _) = await LookupAsync("127.0.0.10");

        Assert.Equal(DnsLookupStatus.Found, result.Status);
        Assert.Equal("mail.example.test", result.Hostname);
        Assert.Equal("10.0.0.127.in-addr.arpa", result.ReverseName);
        Assert.Empty(result.CnameChain);
        Assert.Null(result.CanonicalName);
        Assert.Equal(300, result.TimeToLive);
        Assert.False(result.IsTemporaryFailure);
    }

    [Fact]
    public async Task Several_ptr_names_come_back_sorted_and_distinct()
    {
        var (result, _) = await LookupAsync("127.0.0.11");

        Assert.Equal(new[] { "a.example.test", "b.example.test" }, result.Hostnames);
        Assert.Equal("a.example.test", result.Hostname);
    }

    [Fact]
    public async Task Rfc2317_cname_is_followed_when_the_server_answers_it_whole()
    {
        var (result, queries) = await LookupAsync("127.0.0.12");

        Assert.Equal(DnsLookupStatus.Found, result.Status);
        Assert.Equal(new[] { "classless.example.test" }, result.Hostnames);
        Assert.Equal(new[] { "12.0/26.0.0.127.in-addr.arpa" }, result.CnameChain);
        Assert.Equal("12.0/26.0.0.127.in-addr.arpa", result.CanonicalName);
        Assert.Equal(1, queries);
    }

    [Fact]
    public async Task Rfc2317_cname_is_followed_when_the_server_returns_only_the_cname()
    {
        var (result, queries) = await LookupAsync("127.0.0.12", "12.0.0.127.in-addr.arpa=cname-only");

        Assert.Equal(DnsLookupStatus.Found, result.Status);
        Assert.Equal(new[] { "classless.example.test" }, result.Hostnames);
        Assert.Equal("12.0/26.0.0.127.in-addr.arpa", result.CanonicalName);
        Assert.Equal(2, queries);
    }

    [Fact]
    public async Task Rfc2317_cname_whose_target_fails_is_a_temporary_failure_with_the_hop_kept()
    {
        var (result, _) = await LookupAsync("127.0.0.12", "12.0.0.127.in-addr.arpa=cname-only", "12.0/26.0.0.127.in-addr.arpa=servfail");

        Assert.Equal(DnsLookupStatus.ServerFailure, result.Status);
        Assert.True(result.IsTemporaryFailure);
        Assert.Equal(new[] { "12.0/26.0.0.127.in-addr.arpa" }, result.CnameChain);
        Assert.Empty(result.Hostnames);
    }

    [Fact]
    public async Task Ipv6_address_is_looked_up_under_ip6_arpa()
    {
        var (result, _) = await LookupAsync("2001:db8::25");

        Assert.Equal(DnsLookupStatus.Found, result.Status);
        Assert.Equal("mail6.example.test", result.Hostname);
        Assert.EndsWith(".ip6.arpa", result.ReverseName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ipv4_mapped_ipv6_address_is_looked_up_as_ipv4()
    {
        var (result, _) = await LookupAsync("::ffff:127.0.0.10");

        Assert.Equal(DnsLookupStatus.Found, result.Status);
        Assert.Equal("mail.example.test", result.Hostname);
        Assert.Equal(IPAddress.Parse("127.0.0.10"), result.IPAddress);
        Assert.Equal("10.0.0.127.in-addr.arpa", result.ReverseName);
    }

    [Fact]
    public async Task Missing_ptr_is_not_found_and_not_temporary()
    {
        var (result, _) = await LookupAsync("127.0.0.99");

        Assert.Equal(DnsLookupStatus.NotFound, result.Status);
        Assert.Null(result.Hostname);
        Assert.False(result.IsTemporaryFailure);
        Assert.Equal("NotFound", result.ToString());
    }

    [Fact]
    public async Task Reverse_name_without_ptr_is_no_data()
    {
        var (result, _) = await LookupAsync("127.0.0.13");

        Assert.Equal(DnsLookupStatus.NoData, result.Status);
        Assert.Empty(result.Hostnames);
    }

    [Theory]
    [InlineData("servfail", DnsLookupStatus.ServerFailure)]
    [InlineData("refused", DnsLookupStatus.Refused)]
    [InlineData("drop", DnsLookupStatus.Timeout)]
    [InlineData("malformed", DnsLookupStatus.Error)]
    [InlineData("wrong-id", DnsLookupStatus.Error)]
    [InlineData("cname-loop", DnsLookupStatus.Error)]
    public async Task Failed_ptr_lookup_is_temporary_and_says_why(string fault, DnsLookupStatus expected)
    {
        var (result, _) = await LookupAsync("127.0.0.10", $"10.0.0.127.in-addr.arpa={fault}");

        Assert.Equal(expected, result.Status);
        Assert.True(result.IsTemporaryFailure);
        Assert.Empty(result.Hostnames);
        Assert.Contains("10.0.0.127.in-addr.arpa", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_address_is_rejected_by_name()
    {
        await using var server = await FaultServer.StartAsync(Zone);
        var lookup = new PtrLookup(FaultServer.Resolver(server, FaultServer.TimeoutFor()));

        var error = await Assert.ThrowsAsync<ArgumentNullException>(() => lookup.LookupAsync(null!, FaultServer.Guard()));
        Assert.Equal("address", error.ParamName);
    }
}
