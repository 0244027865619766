package dev.storefront.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  @Test
  void theFloorAllowsRetriesWithoutTraffic() {
    RetryBudget budget = new RetryBudget(0.2, 3);
    assertThat(budget.tryWithdraw()).isTrue();
    assertThat(budget.tryWithdraw()).isTrue();
    assertThat(budget.tryWithdraw()).isTrue();
    assertThat(budget.tryWithdraw()).isFalse();
    budget.refill();
    assertThat(budget.tryWithdraw()).isTrue();
  }

  @Test
  void retriesAreCappedAtTheRatioOfRequests() {
    RetryBudget budget = new RetryBudget(0.2, 0);
    for (int i = 0; i < 100; i++) {
      budget.deposit();
    }
    int allowed = 0;
    while (budget.tryWithdraw()) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(20);
  }

  @Test
  void savingsAreCappedSoACalmPeriodCannotFundAStorm() {
    RetryBudget budget = new RetryBudget(0.5, 1);
    for (int i = 0; i < 10_000; i++) {
      budget.deposit();
    }
    int allowed = 0;
    while (budget.tryWithdraw()) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(100);
  }
}
