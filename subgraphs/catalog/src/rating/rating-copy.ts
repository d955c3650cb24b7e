/** A product's rating as catalog's copy of reviews' events holds it: how many reviews, their average (null while none). */
export interface RatingCopy { count: number; average: number | null }
