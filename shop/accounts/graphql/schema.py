import graphene

from shop.accounts.graphql.mutations import AccountRegister, TokenCreate, TokenRefresh, TokenVerify
from shop.accounts.graphql.types import UserType


class AccountQueries(graphene.ObjectType):
    me = graphene.Field(UserType, description="The signed-in user (session or Bearer token); null otherwise.")

    def resolve_me(self, info):
        user = info.context.user
        return user if user.is_authenticated else None


class AccountMutations(graphene.ObjectType):
    token_create = TokenCreate.Field()
    token_refresh = TokenRefresh.Field()
    token_verify = TokenVerify.Field()
    account_register = AccountRegister.Field()
