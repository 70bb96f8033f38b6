package dev.layertrace.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.layertrace.netfilter.NetfilterFixtureRecorder.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A model assembled from parts parsed apart (as the live reader does) equals the dump's own parse. */
class NetfilterModelPartsTest {

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void partsParsedApartMakeTheSameModel(Scenario s) {
    NetfilterDump dump = NetfilterFixtureRecorder.load(s);

    NetfilterModel parts = NetfilterModel.parse(dump.nftJson(),
        NetfilterModel.Companion.parse(dump.iptablesNftSave()), dump.iptablesLegacySave());

    assertThat(parts).isEqualTo(dump.parse());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  \n"})
  void noCompanionOutputIsNoCompanion(String save) {
    assertThat(NetfilterModel.Companion.parse(save)).isEqualTo(new NetfilterModel.Companion(null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"*filter\n-A FORWARD -j ACCEPT\nCOMMIT\n", "*filter\n:FORWARD ACCEPT [0:0]\n-A\nCOMMIT\n"})
  void anUnparsableCompanionBecomesTheNoteTheDumpsParseWrites(String save) {
    NetfilterDump dump = NetfilterFixtureRecorder.load(Scenario.GUEST_DOCKER_LIKE);
    NetfilterDump broken = new NetfilterDump(dump.nftJson(), save, dump.iptablesLegacySave());

    NetfilterModel parts = NetfilterModel.parse(broken.nftJson(), NetfilterModel.Companion.parse(save),
        broken.iptablesLegacySave());

    assertThat(parts).isEqualTo(broken.parse());
    assertThat(NetfilterModel.Companion.parse(save).problem()).isNotNull();
    assertThat(parts.notes()).contains(NetfilterModel.Companion.parse(save).problem());
  }
}
