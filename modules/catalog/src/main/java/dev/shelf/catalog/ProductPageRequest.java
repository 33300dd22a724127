package dev.shelf.catalog;

/**
 * One page of a keyset-paginated product list.
 *
 * @param forward {@code true} for "the first {@code size} after {@code after}", {@code false} for "the last
 *     {@code size} before {@code before}"
 * @param after exclusive lower bound in list order, or {@code null}
 * @param before exclusive upper bound in list order, or {@code null}
 */
public record ProductPageRequest(ProductSortKey sortKey, boolean reverse, boolean forward, int size,
		ProductPosition after, ProductPosition before, ProductFilter filter) {

	public static final int MAX_SIZE = 250;

	public ProductPageRequest {
		if (size < 0 || size > MAX_SIZE) {
			throw new IllegalArgumentException("A page holds 0 to " + MAX_SIZE + " products, not " + size);
		}
		for (ProductPosition bound : new ProductPosition[] { after, before }) {
			if (bound != null && bound.sortKey() != sortKey) {
				throw new IllegalArgumentException("The cursor was made for sort key " + bound.sortKey());
			}
		}
	}
}
