import { Resolvers } from '../generated/graphql';
import * as categories from './category.service';

export const categoryResolvers: Resolvers = {
  Query: {
    categories: (_root, _args, ctx) => categories.allCategories(ctx),
  },
  Mutation: {
    createCategory: (_root, { name, parentId }, ctx) => categories.createCategory(ctx, name, parentId),
  },
  Category: {
    __resolveReference: (ref, ctx) => categories.categoryById(ctx, ref.id),
    parent: (category, _args, ctx) => (category.parentId ? ctx.loaders.category.load(category.parentId) : null),
    children: (category, _args, ctx) => ctx.loaders.children.load(category.id),
  },
};
