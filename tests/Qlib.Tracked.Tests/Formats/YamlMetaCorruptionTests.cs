using Qlib.Tracked.Formats;

namespace Qlib.Tracked.Tests;

public sealed class YamlMetaCorruptionTests
{
    [Theory]
    [InlineData("run_id: [unclosed\n\u0001garbage")]
    [InlineData("run_id: [unclosed")]
    [InlineData("- a list\n- not a mapping")]
    [InlineData("key: 'unterminated")]
    public void DamagedMeta_IsNotAMapping_NeverAnException(string text) => Assert.Null(YamlMeta.TryParse(text));
}
