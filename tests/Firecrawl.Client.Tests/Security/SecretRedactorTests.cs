namespace Firecrawl.Client.Tests;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Redact_TextWithTheKey_MasksEveryOccurrence()
    {
        var redactor = new SecretRedactor("fc-abcdef", []);

        Assert.Equal("a [REDACTED] b [REDACTED]", redactor.Redact("a fc-abcdef b fc-abcdef"));
    }

    [Fact]
    public void Redact_BearerHeaderEchoed_MasksItAsOnePiece()
    {
        var redactor = new SecretRedactor("fc-abcdef", []);

        Assert.Equal("got [REDACTED]!", redactor.Redact("got Bearer fc-abcdef!"));
    }

    [Fact]
    public void Redact_TextWithoutSecrets_ReturnsTheSameInstance()
    {
        var redactor = new SecretRedactor("fc-abcdef", ["tenant-secret-value"]);
        string text = "nothing to hide";

        Assert.Same(text, redactor.Redact(text));
    }

    [Fact]
    public void Redact_HeaderValueOfSixOrMoreCharacters_IsMasked()
    {
        var redactor = new SecretRedactor(null, ["abcdef", "12345", "  padded-secret  "]);

        Assert.Equal("[REDACTED] 12345 [REDACTED]", redactor.Redact("abcdef 12345 padded-secret"));
    }

    [Fact]
    public void Redact_SecretContainingAnother_MasksTheLongerWhole()
    {
        var redactor = new SecretRedactor("fc-abcdef", ["fc-abcdef-extended"]);

        Assert.Equal("[REDACTED]", redactor.Redact("fc-abcdef-extended"));
    }

    [Fact]
    public void Redact_KeyHiddenByPercentEncoding_IsFoundAndOnlyItIsMasked()
    {
        var redactor = new SecretRedactor("fc-abcdef", []);
        string echoed = "Location: https://evil.example/?k=%66c-abc%64ef&next=%2F";

        Assert.True(redactor.Holds(echoed));
        Assert.Equal("Location: https://evil.example/?k=[REDACTED]&next=%2F", redactor.Redact(echoed));
    }

    [Theory]
    [InlineData("fc-abcdef")]
    [InlineData("FC-ABCDEF")]
    [InlineData("fc%2Dabcdef")]
    [InlineData("fc%2dabcdef")]
    [InlineData("%66%63%2D%61%62%63%64%65%66")]
    [InlineData("fc%252Dabcdef")]
    [InlineData("fc%25252dabcdef")]
    [InlineData("fc\\u002dabcdef")]
    [InlineData("fc\\x2Dabcdef")]
    [InlineData("fc&#45;abcdef")]
    [InlineData("fc&#x2d;abcdef")]
    [InlineData("Bearer%20fc-abcdef")]
    public void Redact_TheKeyHoweverWritten_IsMaskedAndTheRestKept(string written)
    {
        var redactor = new SecretRedactor("fc-abcdef", []);

        Assert.True(redactor.Holds("key=" + written + ";"));
        Assert.Equal("key=[REDACTED];", redactor.Redact("key=" + written + ";"));
    }

    [Theory]
    [InlineData("fc-abc|def")]
    [InlineData("fc-abc, def")]
    [InlineData("fc-a|bc,d|ef")]
    public void RedactHeader_AKeySplitAcrossTheHeadersValues_IsMaskedInEachPart(string linesSplitByBars)
    {
        string[] lines = linesSplitByBars.Split('|');
        var redactor = new SecretRedactor("fc-abcdef", []);

        string shown = redactor.RedactHeader(lines);

        Assert.DoesNotContain("fc-a", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("def", shown, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Location_AKeySplitAcrossTwoLocationHeaders_IsNotQuoted()
    {
        var redactor = new SecretRedactor("fc-0123456789abcdef", []);
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Redirect);
        response.Headers.TryAddWithoutValidation("Location", "https://evil.example/?k=fc-01234");
        response.Headers.TryAddWithoutValidation("Location", "56789abcdef");

        string shown = ServerText.Location(response, redactor);

        Assert.DoesNotContain("fc-01234", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("56789abcdef", shown, StringComparison.Ordinal);
        Assert.StartsWith("https://evil.example/?k=", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_PercentEncodedTextWithoutASecret_IsLeftAsItCame()
    {
        var redactor = new SecretRedactor("fc-abcdef", []);
        string text = "path=%2Fv1%2Fcrawl 100%";

        Assert.False(redactor.Holds(text));
        Assert.Same(text, redactor.Redact(text));
    }

    [Fact]
    public void Scrub_AnExceptionTypeItCannotRebuild_IsReplacedByOneThatNamesIt()
    {
        var redactor = new SecretRedactor("fc-abcdef", []);

        Exception scrubbed = redactor.Scrub(new FormatException("echoed fc-abcdef back"));

        RedactedException redacted = Assert.IsType<RedactedException>(scrubbed);
        Assert.Equal(typeof(FormatException), redacted.OriginalType);
        Assert.Equal("System.FormatException: echoed [REDACTED] back", redacted.Message);
    }

    [Fact]
    public void None_MasksNothing()
    {
        Assert.Equal("Bearer fc-x", SecretRedactor.None.Redact("Bearer fc-x"));
        Assert.Null(SecretRedactor.None.RedactOrNull(null));
    }
}
