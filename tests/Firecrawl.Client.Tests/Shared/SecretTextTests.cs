namespace Firecrawl.Client.Tests;

/// <summary>
/// The secret finder itself, with exact outputs: which spans of the original are masked, how far each escape reaches, and
/// where decoding stops. <see cref="SecretRedactorTests"/> covers what the client does with it.
/// </summary>
public sealed class SecretTextTests
{
    private const string Key = "fc-abcdef";
    private static readonly string[] Keys = [Key];

    [Theory]
    [InlineData("fc-abcdef", "*")]
    [InlineData("xfc-abcdefy", "x*y")]
    [InlineData("fc-abcdef fc-abcdef", "* *")]
    [InlineData("fc-abcdeffc-abcdef", "*")]
    [InlineData("FC-AbCdEf!", "*!")]
    public void Mask_EachRunOfSecretCharacters_BecomesOneMask(string text, string expected)
    {
        Assert.Equal(expected, SecretText.Mask(text, Keys, "*"));
    }

    [Fact]
    public void Mask_OverlappingOccurrences_AreAllMasked()
    {
        Assert.Equal("*", SecretText.Mask("abababab", ["ababab"], "*"));
        Assert.Equal("*c", SecretText.Mask("aaaaaaac", ["aaaaaa"], "*"));
    }

    [Theory]
    [InlineData("a%66c-abcdef b", "a* b")]
    [InlineData("fc-abcde%66", "*")]
    [InlineData("fc-abcde%6", "fc-abcde%6")]
    [InlineData("fc\\u002dabcdef", "*")]
    [InlineData("fc\\U002Dabcdef", "*")]
    [InlineData("fc-abcde\\u0066", "*")]
    [InlineData("fc\\x2dabcdef", "*")]
    [InlineData("fc\\X2Dabcdef", "*")]
    [InlineData("fc-abcde\\x66", "*")]
    [InlineData("fc&#45;abcdef", "*")]
    [InlineData("fc&#000045;abcdef", "*")]
    [InlineData("fc&#x2d;abcdef", "*")]
    [InlineData("fc&#X2D;abcdef", "*")]
    [InlineData("fc-abcde&#102;", "*")]
    [InlineData("fc-abcdef\\", "*\\")]
    [InlineData("\\fc-abcdef", "\\*")]
    [InlineData("fc-abcdef&#", "*&#")]
    [InlineData("fc-abcdef&#x", "*&#x")]
    public void Mask_AnEscapedCharacter_IsMaskedWithItsWholeEscape_AndTextAroundItKept(string text, string expected)
    {
        Assert.Equal(expected, SecretText.Mask(text, Keys, "*"));
    }

    [Theory]
    [InlineData("fc%2Dabcdef")]
    [InlineData("fc%252Dabcdef")]
    [InlineData("fc%25252Dabcdef")]
    [InlineData("fc%2525252Dabcdef")]
    public void Holds_AKeyEncodedUpToFourTimes_IsFound(string text)
    {
        Assert.True(SecretText.Holds(text, Keys));
        Assert.Equal("*", SecretText.Mask(text, Keys, "*"));
    }

    [Fact]
    public void Holds_AKeyEncodedFiveTimes_IsBeyondTheDecodingBound()
    {
        Assert.False(SecretText.Holds("fc%252525252Dabcdef", Keys));
    }

    [Theory]
    [InlineData("a%7Fb", "a\u007Fb", true)]
    [InlineData("a%80b", "a\u0080b", false)]
    [InlineData("x%C3%A9y", "x\u00C3\u00A9y", false)]
    [InlineData("a&#0;b", "a\u0000b", false)]
    [InlineData("a&#65535;b", "a\uFFFFb", true)]
    [InlineData("a&#65536;b", "a\u0000b", false)]
    [InlineData("a&#0000045;b", "a-b", false)]
    [InlineData("a&#;b", "ab", false)]
    [InlineData("a&#45b", "a-b", false)]
    public void Decoding_TakesOnlyWhatStandsForOneCharacter(string text, string decoded, bool found)
    {
        // A percent-encoded byte of 0x80 or more is a piece of a UTF-8 sequence, not a character; an entity must name a
        // character of one UTF-16 unit in at most six digits, and end with a semicolon.
        Assert.Equal(found, SecretText.Holds(text, [decoded]));
    }

    [Fact]
    public void Holds_NothingToFind_OrNowhereToLook_IsFalse()
    {
        Assert.False(SecretText.Holds("", Keys));
        Assert.False(SecretText.Holds("fc-abcdef", []));
        Assert.False(SecretText.Holds("anything at all", [""]));
        Assert.False(SecretText.Holds("%41%42", [""]));
    }

    [Fact]
    public void Mask_AnEmptySecretBesideARealOne_MasksOnlyTheRealOne()
    {
        Assert.Equal("a * b", SecretText.Mask("a fc-abcdef b", ["", Key], "*"));
        Assert.Equal("a * b", SecretText.Mask("a fc%2Dabcdef b", ["", Key], "*"));
    }

    [Fact]
    public void Mask_TextWithoutTheSecret_IsTheSameInstance()
    {
        string text = "a%2Fb fc-abc";

        Assert.Same(text, SecretText.Mask(text, Keys, "*"));
    }

    [Fact]
    public void MaskHeader_ValuesAreMatchedWithoutTheirSpaces_AndKeepThemWhenMasked()
    {
        string[] masked = SecretText.MaskHeader(["  fc-abc  ,  def  ", "other"], Keys, "*");

        Assert.Equal(["  *  ,  *  ", "other"], masked);
    }

    [Fact]
    public void MaskHeader_AKeySplitOverLines_MasksOnlyItsParts()
    {
        string[] masked = SecretText.MaskHeader(["x, fc-a", "bcdef ,y"], Keys, "*");

        Assert.Equal(["x, *", "* ,y"], masked);
    }

    [Fact]
    public void MaskHeader_EmptyAndBlankValues_AreKeptAsTheyCame()
    {
        string[] masked = SecretText.MaskHeader(["a,   ,,b", " ", "fc-abcdef"], Keys, "*");

        Assert.Equal(["a,   ,,b", " ", "*"], masked);
    }

    [Fact]
    public void MaskHeader_WithoutASecret_ReturnsEveryLineAsItCame()
    {
        string first = "a, b";
        string second = "  c ";

        string[] masked = SecretText.MaskHeader([first, second], Keys, "*");

        Assert.Equal(2, masked.Length);
        Assert.Same(first, masked[0]);
        Assert.Same(second, masked[1]);
    }

    [Fact]
    public void MaskHeader_AnEncodedKeyInOneValue_IsMaskedThere()
    {
        Assert.Equal(["k=*", "z"], SecretText.MaskHeader(["k=fc%2Dabcdef", "z"], Keys, "*"));
    }
}
