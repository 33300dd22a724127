package dev.shelf.billing;

import java.util.List;

/** A page of a shop's usage charges in creation order, and whether there are more on either side. */
public record UsageChargePage(List<UsageCharge> charges, boolean hasPreviousPage, boolean hasNextPage) {
}
