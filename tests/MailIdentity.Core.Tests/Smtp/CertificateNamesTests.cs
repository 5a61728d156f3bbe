// Expected values are written inline as arrays: clearer in a test than named static fields.
#pragma warning disable CA1861

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailIdentity.Smtp;
using Xunit;

namespace MailIdentity.Core.Tests.Smtp;

public class CertificateNamesTests
{
    [Fact]
    public void Reads_dns_names_and_addresses_from_the_san_extension()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ignored.example", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("mail.example.com");
        san.AddDnsName("*.example.net");
        san.AddIpAddress(IPAddress.Parse("192.0.2.25"));
        san.AddIpAddress(IPAddress.Parse("2001:db8::25"));
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var names = CertificateNames.GetSubjectAlternativeNames(certificate);
        Assert.Equal(new[] { "mail.example.com", "*.example.net", "192.0.2.25", "2001:db8::25" }, names);
    }

    [Theory]
    [InlineData("mail.example.com", true)]
    [InlineData("MAIL.example.com.", true)]
    [InlineData("mx1.example.net", true)]
    [InlineData("a.mx1.example.net", false)]
    [InlineData("example.net", false)]
    [InlineData("other.example.com", false)]
    [InlineData("192.0.2.25", true)]
    [InlineData("[192.0.2.25]", true)]
    [InlineData("[IPv6:2001:db8::25]", true)]
    [InlineData("192.0.2.26", false)]
    [InlineData("", false)]
    public void Matches_names_by_rfc_6125(string host, bool expected)
    {
        var names = new[] { "mail.example.com", "*.example.net", "192.0.2.25", "2001:db8::25" };
        Assert.Equal(expected, CertificateNames.Matches(names, "ignored.example", host));
    }

    [Fact]
    public void Without_a_san_the_common_name_counts() =>
        Assert.True(CertificateNames.Matches(Array.Empty<string>(), "mail.example.com", "mail.example.com"));
}
