package dev.storefront.common.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionFunction;
import java.util.Collection;

/**
 * Whether a side of the cluster holds enough of its data members to accept writes. Hazelcast's own
 * member-count check counts lite members too, and every stateless service is one: a cart member cut
 * off together with a few of them would pass for a majority while holding a minority of the data.
 */
public final class DataMemberQuorum implements SplitBrainProtectionFunction {

  private final int minimum;

  public DataMemberQuorum(int minimum) {
    this.minimum = minimum;
  }

  @Override
  public boolean apply(Collection<Member> members) {
    return members.stream().filter(member -> !member.isLiteMember()).count() >= minimum;
  }

  public int minimum() {
    return minimum;
  }

  @Override
  public String toString() {
    return "at least " + minimum + " data members";
  }
}
